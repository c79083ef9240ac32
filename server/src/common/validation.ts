import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { FIELD_LABELS } from './field-labels.js';

/** JSON types as the message names them. */
const TYPE_LABELS: Record<string, string> = {
  string: '文字',
  integer: '整数',
  number: '数字',
  boolean: '是或否',
  array: '列表',
  object: '对象',
  null: '空',
};

/** Turns an Ajv error into `{message, messageEn, field}` naming the offending field. */
export function describeValidationError(
  errors: FastifySchemaValidationError[],
  context: string | undefined,
): { message: string; messageEn: string; field: string } {
  const first = errors[0]!;
  const params = first.params as Record<string, unknown>;
  let pointer = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (typeof params.missingProperty === 'string') pointer = pointer ? `${pointer}.${params.missingProperty}` : params.missingProperty;
  if (typeof params.additionalProperty === 'string')
    pointer = pointer ? `${pointer}.${params.additionalProperty}` : params.additionalProperty;
  const field = pointer || context || 'body';
  // The nearest named segment: `choices.2` is the 选项 field; an unknown name stays as written.
  const named =
    field
      .split('.')
      .reverse()
      .find((s) => !/^\d+$/.test(s)) ?? field;
  const label = FIELD_LABELS[named] ?? named;
  let zh: string;
  switch (first.keyword) {
    case 'required':
      zh = '必填';
      break;
    case 'additionalProperties':
      zh = '不允许的字段';
      break;
    case 'type':
      zh = `类型应为${TYPE_LABELS[String(params.type)] ?? String(params.type)}`;
      break;
    case 'minLength':
      zh = `长度应不少于 ${String(params.limit)} 个字符`;
      break;
    case 'maxLength':
      zh = `长度应不超过 ${String(params.limit)} 个字符`;
      break;
    case 'minItems':
      zh = `应至少有 ${String(params.limit)} 项`;
      break;
    case 'maxItems':
      zh = `应至多有 ${String(params.limit)} 项`;
      break;
    case 'minimum':
      zh = `应不小于 ${String(params.limit)}`;
      break;
    case 'maximum':
      zh = `应不大于 ${String(params.limit)}`;
      break;
    case 'exclusiveMinimum':
      zh = `应大于 ${String(params.limit)}`;
      break;
    case 'exclusiveMaximum':
      zh = `应小于 ${String(params.limit)}`;
      break;
    case 'uniqueItems':
      zh = '有重复项';
      break;
    case 'format':
      zh = params.format === 'date' ? '不是真实的日期（应为 YYYY-MM-DD，且该月有这一天）' : '格式不正确';
      break;
    case 'pattern':
      zh = '格式不正确';
      break;
    case 'enum':
    case 'const':
      zh = '取值不在允许范围内';
      break;
    default:
      zh = '取值无效';
  }
  const en =
    first.keyword === 'additionalProperties'
      ? 'is not an allowed field'
      : first.keyword === 'required'
        ? 'is required'
        : first.keyword === 'format' && params.format === 'date'
          ? 'is not a real calendar date (YYYY-MM-DD, a day the month has)'
          : (first.message ?? 'is invalid');
  return { message: `字段「${label}」无效：${zh}`, messageEn: `Field ${field} ${en.startsWith('is') ? en : `is invalid: ${en}`}`, field };
}
