import catalogue from './data/catalogue.json' with { type: 'json' };
import type { PolicyDocument } from '../modules/policy/policy.schemas.js';

/**
 * The numbers of 沈民发〔2023〕11号 as the 2023 fund year's policy data. Later years are copied from
 * it and edited by the city bureau in the console; rules read only the stored policy.
 */
export const policy2023: PolicyDocument = {
  fundYear: 2023,
  ratingYear: 2022,
  title: '沈民发〔2023〕11号 星级社区"以奖代补"专项资金',
  tiers: [
    { stars: 5, quota: 50, amountFen: 200_000_00, enhancementMin: 6 },
    { stars: 4, quota: 100, amountFen: 100_000_00, enhancementMin: 4 },
    { stars: 3, quota: 200, amountFen: 50_000_00, enhancementMin: 1 },
  ],
  enhancementMinCounts: 'projects',
  basicItems: ['B1', 'B2', 'B3'],
  needsCoverage: { numerator: 30, denominator: 100 },
  noticeDays: 10,
  objectionShare: { numerator: 1, denominator: 5 },
  // A written objection handed in on the window's last day may be typed in within 3 working days (the demo city's rule).
  objectionEntryGraceWorkdays: 3,
  reviewWorkdays: 7,
  midEvaluationDue: '06-30',
  finalEvaluationDue: '12-10',
  councilQuorum: { numerator: 1, denominator: 2, strict: true },
  councilPass: { numerator: 1, denominator: 2, strict: true },
  // The notice asks for disclosure "in time" [N 4.2]; five days is the demo city's working rule.
  disclosureGraceDays: 5,
  // 辽宁省政府采购限额标准：分散采购限额以下可小额直接采购（policy data, editable）.
  smallPurchaseThresholdFen: 1_000_000_00,
  prohibitedUses: [
    {
      code: 'P1',
      label: '人员工资、奖金、津补贴',
      keywords: ['工资', '薪酬', '薪资', '奖金', '补贴', '津贴', '绩效', '加班费', '劳务费发放'],
    },
    { code: 'P2', label: '办公经费与办公用房改善', keywords: ['办公经费', '办公用品', '办公室装修', '办公设备', '水电费', '物业费'] },
    { code: 'P3', label: '楼堂馆所与工程建设', keywords: ['基建', '工程建设', '新建', '改扩建', '装修改造', '楼堂馆所'] },
    { code: 'P4', label: '车辆与通讯设备购置', keywords: ['购车', '车辆', '手机', '通讯设备', '电脑购置'] },
    { code: 'P5', label: '偿还债务', keywords: ['还债', '偿还债务', '借款', '贷款'] },
    { code: 'P6', label: '宴请、礼品与旅游', keywords: ['宴请', '聚餐', '礼品', '购物卡', '旅游', '考察'] },
    { code: 'P7', label: '以服务名义购买货物或工程', keywords: ['采购物资', '设备采购', '货物', '施工'] },
    { code: 'P8', label: '已由其他财政资金安排的事项', keywords: ['重复申报', '已列入预算'] },
    { code: 'P9', label: '评估费用', keywords: ['评估费', '第三方评估费用'] },
  ],
  catalogue: {
    basic: catalogue.basic,
    enhancement: catalogue.enhancement,
  },
  evaluationRubric: [
    { code: 'R1', label: '社工室建设情况', weight: 20 },
    { code: 'R2', label: '社工室作用发挥', weight: 20 },
    { code: 'R3', label: '承接项目情况', weight: 20 },
    { code: 'R4', label: '品牌效应', weight: 15 },
    { code: 'R5', label: '孵化培育成效', weight: 15 },
    { code: 'R6', label: '服务覆盖人数', weight: 10 },
  ],
  gradeThresholds: { excellent: 90, good: 80, pass: 60 },
};
