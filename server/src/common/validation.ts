import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

/** Chinese names of common fields, so a bad-input message reads naturally in the console. */
const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  year: '年度',
  date: '日期',
  name: '名称',
  code: '代码',
  residentHouseholds: '常住人口户数',
  representatives: '居民代表人数',
  councilMembers: '议事会成员人数',
  document: '政策内容',
  isOffDay: '是否休息日',
  reason: '原因',
  from: '起算日期',
  visitedOn: '走访日期',
  heldOn: '召开日期',
  receivedOn: '收到日期',
  publishedOn: '公开日期',
  decidedOn: '决定日期',
  signedOn: '签订日期',
  startsOn: '开始日期',
  endsOn: '结束日期',
  dueOn: '到期日期',
  paidOn: '支付日期',
  meetingOn: '会议日期',
  opensOn: '开始日期',
  closesOn: '截止日期',
  validUntil: '有效期至',
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
  const leaf = field.split('.').pop() ?? field;
  const label = FIELD_LABELS[leaf] ? `${FIELD_LABELS[leaf]}（${field}）` : field;
  let zh: string;
  switch (first.keyword) {
    case 'required':
      zh = '必填';
      break;
    case 'additionalProperties':
      zh = '不允许的字段';
      break;
    case 'type':
      zh = `类型应为 ${String(params.type)}`;
      break;
    case 'minLength':
    case 'maxLength':
      zh = `长度不符合要求（${first.message ?? ''}）`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      zh = `数值超出范围（${first.message ?? ''}）`;
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
      zh = first.message ?? '无效';
  }
  const en =
    first.keyword === 'additionalProperties'
      ? 'is not an allowed field'
      : first.keyword === 'required'
        ? 'is required'
        : first.keyword === 'format' && params.format === 'date'
          ? 'is not a real calendar date (YYYY-MM-DD, a day the month has)'
          : (first.message ?? 'is invalid');
  return { message: `字段 ${label} 无效：${zh}`, messageEn: `Field ${field} ${en.startsWith('is') ? en : `is invalid: ${en}`}`, field };
}
