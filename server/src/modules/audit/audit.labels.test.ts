import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS } from './audit.labels.js';

const SERVER = path.resolve(import.meta.dirname, '../..');

/** Every non-test source file of the server that records audit events. */
function auditingSources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        if (/\.record\(/.test(text)) out.push({ file: path.relative(SERVER, p), text });
      }
    }
  };
  walk(SERVER);
  return out;
}

/** The expression after `action:` / `action =` (up to the end of its property or statement). */
function expressionsAfter(text: string, key: string): string[] {
  return [...text.matchAll(new RegExp(`\\b${key}\\s*(?::|=)\\s*`, 'g'))].map((m) => {
    const rest = text.slice(m.index + m[0].length);
    const end = rest.search(/,\n|;/);
    return end < 0 ? rest : rest.slice(0, end);
  });
}

/** Template literals build these actions: each prefix with the values its variable can take. */
const TEMPLATES: Record<string, string[]> = {
  'delivery.adjustment.': ['approve', 'reject'],
  'needs.proposal.': ['reject', 'restore'],
};

function auditedActions(): { actions: Map<string, string>; unknownTemplates: string[] } {
  const actions = new Map<string, string>();
  const unknownTemplates: string[] = [];
  for (const { file, text } of auditingSources())
    for (const expr of expressionsAfter(text, 'action')) {
      for (const m of expr.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) actions.set(m[1]!, file);
      for (const m of expr.matchAll(/`([a-z_.]+)\$\{/g)) {
        const expansions = TEMPLATES[m[1]!];
        if (!expansions) unknownTemplates.push(`${file}: ${m[1]}…`);
        for (const x of expansions ?? []) actions.set(`${m[1]}${x}`, file);
      }
    }
  return { actions, unknownTemplates };
}

describe('audit log labels', () => {
  it('finds the audited actions in the server (the scan itself works)', () => {
    const { actions } = auditedActions();
    expect(actions.size).toBeGreaterThan(80);
    expect(actions.get('plan.review.approve')).toBe('modules/plans/plans.review.service.ts');
    expect(actions.has('user.disable')).toBe(true); // from a `const action = … ? … : …` chain
    expect(actions.has('needs.proposal.restore')).toBe(true); // from a template literal
  });

  it('names every audited action in Chinese', () => {
    const { actions, unknownTemplates } = auditedActions();
    expect(unknownTemplates, 'add the template to TEMPLATES with the values it can take').toEqual([]);
    const missing = [...actions].filter(([a]) => !AUDIT_ACTION_LABELS[a]).map(([a, file]) => `${a} (${file})`);
    expect(missing, 'add these to AUDIT_ACTION_LABELS in audit.labels.ts').toEqual([]);
    for (const label of Object.values(AUDIT_ACTION_LABELS)) expect(label).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('names every literal entity type of an audited event in Chinese', () => {
    const types = new Set<string>();
    for (const { text } of auditingSources())
      for (const expr of expressionsAfter(text, 'entityType')) for (const m of expr.matchAll(/'([a-z_]+)'/g)) types.add(m[1]!);
    expect(types.has('plan')).toBe(true);
    expect([...types].filter((t) => !AUDIT_ENTITY_LABELS[t])).toEqual([]);
  });
});
