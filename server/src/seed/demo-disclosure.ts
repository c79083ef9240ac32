import type { Tx } from '../db/client.js';
import type { Services } from '../services.js';
import { CITY_CODE } from './demo-city.js';
import type { DemoTimeline } from './demo-timeline.js';

/**
 * Demo disclosure records [N 4.2] for fund year 2026, consistent with the seeded states: every
 * filed plan was posted on its community's notice board the day it was filed, and payments the
 * day after they were made; contracts were disclosed by every community but the first (by code)
 * of those with signed contracts, which skipped it — its street and district see the flag.
 */

export async function seedDemoDisclosure(tx: Tx, services: Services, timeline: DemoTimeline): Promise<Record<string, number>> {
  const FUND_YEAR = timeline.fundYear;
  const [city] = await services.regions.byCodes([CITY_CODE], tx);
  const plans = (await services.plans.plansUnder(city!.path, FUND_YEAR, tx)).filter((p) => p.status === 'filed' && p.filedOn);
  const codes = await services.regions.byCodes([...new Set(plans.flatMap((p) => p.communityCodes))], tx);
  const pathOf = new Map(codes.map((c) => [c.code, c.path]));
  let records = 0;
  for (const p of plans) {
    for (const code of p.communityCodes) {
      if (
        await services.disclosure.recordSeeded(tx, {
          communityCode: code,
          regionPath: pathOf.get(code)!,
          fundYear: FUND_YEAR,
          kind: 'plan',
          publishedOn: p.filedOn!,
          title: `${p.title}（公示栏张贴）`,
        })
      )
        records++;
    }
  }
  const contracts = (await services.procurement.publicContracts({ pathPrefix: city!.path, fundYear: FUND_YEAR }, tx)).filter(
    (c) => c.signedOn,
  );
  const withContracts = [...new Set(contracts.map((c) => c.communityCode))].sort();
  const skipped = withContracts[0] ?? null;
  for (const code of withContracts) {
    const own = contracts.filter((c) => c.communityCode === code);
    const path = own[0]!.regionPath;
    const signed = own.map((c) => c.signedOn!).sort()[0]!;
    if (
      code !== skipped &&
      (await services.disclosure.recordSeeded(tx, {
        communityCode: code,
        regionPath: path,
        fundYear: FUND_YEAR,
        kind: 'contracts',
        publishedOn: signed,
        title: '服务合同公开',
      }))
    )
      records++;
    const paid = own.flatMap((c) => c.instalments.filter((i) => i.status === 'paid' && i.paidOn).map((i) => i.paidOn!)).sort();
    if (
      paid[0] &&
      (await services.disclosure.recordSeeded(tx, {
        communityCode: code,
        regionPath: path,
        fundYear: FUND_YEAR,
        kind: 'payments',
        publishedOn: paid[0],
        title: '资金拨付公开',
      }))
    )
      records++;
  }
  return { disclosureRecords: records, disclosureSkipped: skipped ? 1 : 0 };
}
