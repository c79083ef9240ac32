import type { Tx } from '../db/client.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import type { HouseholdInsert } from '../modules/households/households.repository.js';
import { NeedsRepository, type OpinionInsert, type ProposalInsert } from '../modules/needs/needs.repository.js';
import { CHANNEL_CODES, ONLINE_CHANNEL, type ChannelCode } from '../modules/needs/needs.rules.js';
import { addDays } from '../common/dates.js';
import type { DemoTimeline } from './demo-timeline.js';
import type { DemoCity } from './demo-city.js';
import { createRandom, type Random } from './random.js';

/**
 * Demo households, needs campaigns and proposals for a few communities (of the districts' first
 * communities): one campaign open at about 20% coverage, one concluded above 30% with proposals and a
 * ranked draft list. Deterministic (same seed, same rows);
 * only the open campaign's closing date follows today, so that its public page takes answers.
 * Names and phone numbers are made up.
 */
export const DEMO_NEEDS_SEED = 20230612;

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN_CHARS =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬斌建国志红海波宁辉鹏宇浩然子涵欣怡博文凤梅淑珍德福春秋冬雪晓东佳琪';
const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '157',
  '158',
  '159',
  '176',
  '177',
  '180',
  '181',
  '182',
  '186',
  '187',
  '188',
  '189',
  '198',
];

export function demoName(r: Random): string {
  const surname = r.pick([...SURNAMES]);
  const given = Array.from({ length: r.next() < 0.3 ? 1 : 2 }, () => r.pick([...GIVEN_CHARS])).join('');
  return surname + given;
}

export function demoPhone(r: Random): string {
  return r.pick(PHONE_PREFIXES) + String(r.int(0, 99_999_999)).padStart(8, '0');
}

export interface DemoHousehold {
  row: Omit<HouseholdInsert, 'communityCode'>;
  members: { name: string; isRepresentative: boolean; isCouncilMember: boolean }[];
}

/** A community's full registry: one row per resident household, rosters matching the profile. */
export function generateHouseholds(r: Random, count: number, representatives: number, councilMembers: number): DemoHousehold[] {
  const out: DemoHousehold[] = [];
  const buildings = Math.max(1, Math.ceil(count / 72));
  let n = 0;
  for (let b = 1; b <= buildings && n < count; b++) {
    for (let unit = 1; unit <= 4 && n < count; unit++) {
      for (let floor = 1; floor <= 6 && n < count; floor++) {
        for (let door = 1; door <= 3 && n < count; door++) {
          n++;
          const room = `${floor}0${door}`;
          out.push({
            row: {
              householdNo: `${String(b).padStart(2, '0')}-${unit}-${room}`,
              building: String(b),
              unit: String(unit),
              room,
              headName: demoName(r),
              phone: demoPhone(r),
              residents: r.int(1, 5),
            },
            members: [],
          });
        }
      }
    }
  }
  const picked = r.shuffle(out.map((_, i) => i));
  picked
    .slice(0, representatives)
    .forEach((i, k) => out[i]!.members.push({ name: out[i]!.row.headName, isRepresentative: true, isCouncilMember: k < councilMembers }));
  // Council members beyond the representatives come from other households.
  picked
    .slice(representatives, representatives + Math.max(0, councilMembers - representatives))
    .forEach((i) => out[i]!.members.push({ name: out[i]!.row.headName, isRepresentative: false, isCouncilMember: true }));
  return out;
}

const QUESTIONNAIRE = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7'];
const FREE_TEXTS = [
  '希望开设老年食堂',
  '楼道灯经常不亮',
  '孩子放学后没人看管，希望有四点半课堂',
  '希望多组织邻里活动',
  '独居老人需要定期探访',
  '希望有智能手机培训班',
  '小区垃圾分类需要宣传',
  null,
  null,
  null,
  null,
];

function opinions(
  r: Random,
  campaignId: number,
  householdIds: number[],
  share: number,
  channels: ChannelCode[],
  staffUserId: number | null,
): OpinionInsert[] {
  const chosen = r.shuffle(householdIds).slice(0, Math.ceil(householdIds.length * share));
  // Older residents favour elderly care, young families children's services: a skewed tally.
  const weights = ['E5', 'E5', 'E5', 'E6', 'E6', 'E3', 'E3', 'E1', 'E2', 'E4', 'E7'];
  return chosen.map((householdId) => {
    const channel = r.pick(channels);
    const choices = [...new Set(Array.from({ length: r.int(1, 3) }, () => r.pick(weights)))];
    return {
      campaignId,
      householdId,
      channel,
      choices,
      freeText: r.pick(FREE_TEXTS),
      enteredByUserId: channel === ONLINE_CHANNEL ? null : staffUserId,
    };
  });
}

export async function seedDemoNeeds(
  tx: Tx,
  services: Services,
  city: DemoCity,
  communityCodes: string[],
  timeline: DemoTimeline,
): Promise<Record<string, number>> {
  const { today, fundYear: FUND_YEAR } = timeline;
  const r = createRandom(DEMO_NEEDS_SEED);
  const byCode = new Map(city.communities.map((c) => [c.code, c]));
  // Two of the districts' first communities, the smallest ones to keep seeding quick (tests use the last accounts).
  const targets = communityCodes
    .slice(0, 7)
    .sort((a, b) => byCode.get(a)!.residentHouseholds - byCode.get(b)!.residentHouseholds || a.localeCompare(b))
    .slice(0, 2);
  let householdCount = 0;
  let opinionCount = 0;
  let proposalCount = 0;
  const registries: number[][] = [];
  for (const code of targets) {
    const c = byCode.get(code)!;
    const generated = generateHouseholds(r, c.residentHouseholds, c.representatives, c.councilMembers);
    const ids = await services.households.seedHouseholds(
      tx,
      generated.map((h) => ({ ...h.row, communityCode: code })),
    );
    await services.households.seedMembers(
      tx,
      generated.flatMap((h) => h.members.map((m) => ({ ...m, householdId: ids.get(h.row.householdNo)! }))),
      // Terms from 1 January of the year before the fund year: before any decision the demo records.
      { communityCode: code, fromDate: `${FUND_YEAR - 1}-01-01` },
    );
    if (code === targets[0]) {
      // A representative replaced mid-year, so the roster's history shows a term ended and its successor (ADR 0013).
      const successor = generated.find((h) => h.members.length === 0);
      if (successor)
        await services.households.terms.seedReplacement(
          tx,
          code,
          'representative',
          { personName: successor.row.headName, householdId: ids.get(successor.row.householdNo)! },
          `${FUND_YEAR}-06-30`,
          '迁出本社区，经居民会议补选',
        );
    }
    registries.push(generated.map((h) => ids.get(h.row.householdNo)!));
    householdCount += generated.length;
  }

  const repo = new NeedsRepository();
  // 1. Open, about 20% reached, online and on paper.
  const open = await repo.insertCampaign(tx, {
    communityCode: targets[0]!,
    fundYear: FUND_YEAR,
    title: `${FUND_YEAR} 年度居民需求征集（一户一票）`,
    opensOn: `${FUND_YEAR}-03-01`,
    closesOn: [`${FUND_YEAR}-12-31`, addDays(today, 60)].sort()[1]!,
    channels: [...CHANNEL_CODES],
    questionnaire: { itemCodes: QUESTIONNAIRE, freeText: true, prompt: '您最希望社区在今年开展哪些服务？（可多选）' },
    allowChanges: false,
  });
  const openOpinions = opinions(
    r,
    open.id,
    registries[0]!,
    0.2,
    ['online_vote', 'online_vote', 'household_vote', 'questionnaire', 'field_visit'],
    null,
  );
  await repo.insertOpinions(tx, openOpinions, false);

  // 2. Concluded above 30%, with proposals, a merge, a screened-out one and a ranked draft list.
  const done = await repo.insertCampaign(tx, {
    communityCode: targets[1]!,
    fundYear: FUND_YEAR,
    title: `${FUND_YEAR} 年度"以奖代补"项目需求征集`,
    opensOn: `${FUND_YEAR}-02-20`,
    closesOn: `${FUND_YEAR}-03-31`,
    channels: ['household_vote', 'courtyard_meeting', 'online_vote', 'field_visit'],
    questionnaire: { itemCodes: QUESTIONNAIRE, freeText: true, prompt: null },
    allowChanges: true,
  });
  const doneOpinions = opinions(
    r,
    done.id,
    registries[1]!,
    0.36,
    ['online_vote', 'household_vote', 'courtyard_meeting', 'field_visit'],
    null,
  );
  await repo.insertOpinions(tx, doneOpinions, false);
  const resident = byCode.get(targets[1]!)!.residentHouseholds;
  await repo.updateCampaign(tx, done.id, {
    status: 'concluded',
    concludedAt: new Date(`${FUND_YEAR}-04-01T02:00:00Z`),
    concludedReached: doneOpinions.length,
    concludedResidentHouseholds: resident,
  });
  const opinionRows = await repo.opinionsOfHouseholds(tx, done.id, registries[1]!);
  const choosing = (code: string) => opinionRows.filter((o) => o.choices.includes(code)).map((o) => o.id);
  const proposals: { proposal: ProposalInsert; opinionIds: number[] }[] = [
    {
      proposal: {
        campaignId: done.id,
        title: '"幸福餐桌"老年助餐服务',
        catalogueCode: 'E5',
        estimatedBudgetFen: 6_000_000,
        source: 'opinions',
        status: 'listed',
        rank: 1,
        description: '为 70 岁以上独居、空巢老人提供助餐与送餐',
      },
      opinionIds: choosing('E5'),
    },
    {
      proposal: {
        campaignId: done.id,
        title: '"四点半课堂"课后托管',
        catalogueCode: 'E6',
        estimatedBudgetFen: 3_500_000,
        source: 'opinions',
        status: 'listed',
        rank: 2,
        description: '双职工家庭儿童课后看护与兴趣课程',
      },
      opinionIds: choosing('E6'),
    },
    {
      proposal: {
        campaignId: done.id,
        title: '困难群众与独居老人定期探访',
        catalogueCode: 'E3',
        estimatedBudgetFen: 2_500_000,
        source: 'opinions',
        status: 'listed',
        rank: 3,
      },
      opinionIds: choosing('E3'),
    },
    {
      proposal: {
        campaignId: done.id,
        title: '社区社工室建设与驻室服务',
        catalogueCode: 'B1',
        estimatedBudgetFen: 4_000_000,
        source: 'committee',
        status: 'listed',
        rank: 4,
        description: '社区"两委"直接提出的基础类项目',
      },
      opinionIds: [],
    },
    {
      proposal: {
        campaignId: done.id,
        title: '楼院议事与自治公约',
        catalogueCode: 'E2',
        estimatedBudgetFen: 1_500_000,
        source: 'opinions',
        status: 'candidate',
      },
      opinionIds: choosing('E2'),
    },
    {
      proposal: {
        campaignId: done.id,
        title: '社区办公室翻新',
        catalogueCode: 'E1',
        source: 'committee',
        status: 'rejected',
        screenReason: '办公用房改善属负面清单（财政部令第102号）',
      },
      opinionIds: [],
    },
  ];
  await repo.insertProposalsWithLinks(tx, proposals);
  proposalCount += proposals.length;
  opinionCount = openOpinions.length + doneOpinions.length;

  await services.audit.record(tx, SYSTEM_ACTOR, {
    action: 'seed.demo_needs',
    entityType: 'installation',
    entityId: 'demo_needs',
    after: { communities: targets, households: householdCount, campaigns: 2, opinions: opinionCount, proposals: proposalCount },
  });
  return { households: householdCount, needsCampaigns: 2, opinions: opinionCount, proposals: proposalCount };
}
