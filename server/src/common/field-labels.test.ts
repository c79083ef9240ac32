import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_LABELS } from './field-labels.js';
import { describeValidationError } from './validation.js';

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean } & Record<
  string,
  unknown
>;

/** Every property name a request may carry, from the generated OpenAPI document (bodies, queries, paths). */
function requestFieldNames(): Set<string> {
  const doc = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../web/src/api/openapi.json'), 'utf8'));
  const components: Record<string, Schema> = doc.components?.schemas ?? {};
  const names = new Set<string>();
  const walk = (s: Schema | undefined, depth = 0): void => {
    if (!s || typeof s !== 'object' || depth > 12) return;
    if (s.$ref) return walk(components[s.$ref.split('/').pop()!], depth + 1);
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      names.add(k);
      walk(v, depth + 1);
    }
    if (s.items) walk(s.items, depth + 1);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf']) for (const x of (s[key] as Schema[] | undefined) ?? []) walk(x, depth + 1);
  };
  for (const ops of Object.values<
    Record<string, { parameters?: { name: string }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >(doc.paths))
    for (const op of Object.values(ops)) {
      for (const p of op.parameters ?? []) names.add(p.name);
      for (const c of Object.values(op.requestBody?.content ?? {})) walk(c.schema);
    }
  return names;
}

describe('field labels of bad-input messages (issue 19)', () => {
  it('names every field of every request in Chinese', () => {
    const names = requestFieldNames();
    expect(names.has('choices')).toBe(true);
    expect([...names].filter((n) => !FIELD_LABELS[n]).sort(), 'add these to FIELD_LABELS in field-labels.ts').toEqual([]);
    for (const label of Object.values(FIELD_LABELS)) expect(label).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('a 400 names the field by its Chinese label and keeps the English half', () => {
    const d = describeValidationError(
      [
        {
          keyword: 'enum',
          instancePath: '/choices/2',
          schemaPath: '',
          params: { allowedValues: ['a'] },
          message: 'must be equal to one of the allowed values',
        },
      ],
      'body',
    );
    expect(d.message).toBe('字段「选项」无效：取值不在允许范围内');
    expect(d.messageEn).toBe('Field choices.2 is invalid: must be equal to one of the allowed values');
    expect(d.field).toBe('choices.2');
    const long = describeValidationError(
      [
        {
          keyword: 'maxLength',
          instancePath: '/reason',
          schemaPath: '',
          params: { limit: 500 },
          message: 'must NOT have more than 500 characters',
        },
      ],
      'body',
    );
    expect(long.message).toBe('字段「原因」无效：长度应不超过 500 个字符');
  });
});
