import { fenToDecimalYuan } from '../../common/money.js';
import type { PlansService } from '../plans/plans.service.js';
import type { ProcurementService } from '../procurement/procurement.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { CITY_CODE } from '../../seed/demo-city.js';
import type { PortalService } from './disclosure.portal.service.js';

/** [N 4.2] Open data in the Open Contracting Data Standard: the fund year's contracts as an OCDS release package. */
export class OcdsService {
  constructor(
    private readonly regions: RegionsService,
    private readonly plans: PlansService,
    private readonly procurement: ProcurementService | null,
    private readonly portal: PortalService,
  ) {}
  /**
   * The fund year's contracts as an Open Contracting Data Standard 1.1 release package: one
   * release per contract with planning (the filed projects' budget), tender, award, contract and
   * implementation transactions (paid instalments). Amounts in yuan (CNY), as OCDS expects.
   */
  async ocdsPackage(fundYear: number, baseUrl: string) {
    await this.portal.years(fundYear);
    const city = await this.portal.region(CITY_CODE);
    const contracts = this.procurement ? await this.procurement.publicContracts({ pathPrefix: city.path, fundYear }) : [];
    const regionNames = new Map(
      (await this.regions.byCodes([...new Set(contracts.flatMap((c) => [c.purchaserCode, c.communityCode]))])).map((r) => [r.code, r.name]),
    );
    const plans = (await this.plans.plansUnder(city.path, fundYear)).filter((p) => p.status === 'filed');
    const projects = new Map(
      plans.flatMap((p) => p.projects.map((x) => [x.id, { ...x, planTitle: p.title, filedOn: p.filedOn }] as const)),
    );
    const yuan = fenToDecimalYuan;
    const at = (d: string | null | undefined) => `${d ?? `${fundYear}-01-01`}T00:00:00+08:00`;
    const METHOD: Record<string, 'open' | 'selective' | 'limited' | 'direct'> = {
      public_tender: 'open',
      invited_tender: 'selective',
      competitive_negotiation: 'limited',
      competitive_consultation: 'limited',
      single_source: 'direct',
      inquiry: 'limited',
      small_direct: 'direct',
    };
    const releases = contracts.map((c) => {
      const ocid = `ocds-sf2101-${c.ref}`;
      const buyer = {
        id: `CN-DIV-${c.purchaserCode}`,
        name: `${regionNames.get(c.purchaserCode) ?? c.purchaserCode}${c.purchaserKind === 'street' ? '' : '居民委员会'}`,
      };
      const supplier = c.provider ? { id: `CN-USCC-${c.provider.creditCode}`, name: c.provider.name } : null;
      const items = c.projectIds.map((id) => projects.get(id)).filter((x) => !!x);
      const paid = c.instalments.filter((i) => i.status === 'paid');
      const status = c.status === 'cancelled' ? 'cancelled' : c.status === 'completed' ? 'terminated' : 'active';
      return {
        ocid,
        id: `${ocid}-${c.status}-${paid.length}`,
        date: at(
          paid
            .map((i) => i.paidOn!)
            .sort()
            .at(-1) ?? c.signedOn,
        ),
        tag: ['planning', 'tender', 'award', 'contract', ...(paid.length ? ['implementation'] : [])],
        initiationType: 'tender',
        language: 'zh',
        parties: [
          { ...buyer, roles: ['buyer', 'procuringEntity', 'payer'] },
          ...(supplier
            ? [
                {
                  ...supplier,
                  identifier: { scheme: 'CN-USCC', id: c.provider!.creditCode, legalName: c.provider!.name },
                  roles: ['supplier', 'payee'],
                },
              ]
            : []),
        ],
        buyer,
        planning: {
          rationale:
            items
              .map((x) => x.planTitle)
              .filter((v, i, a) => a.indexOf(v) === i)
              .join('；') || c.title,
          budget: {
            description: '星级社区"以奖代补"专项资金',
            amount: { amount: yuan(items.reduce((s, x) => s + x.budgetFen, 0)), currency: 'CNY' },
          },
        },
        tender: {
          id: `${ocid}-tender`,
          title: c.title,
          status: 'complete',
          ...(c.procurementMethod
            ? { procurementMethod: METHOD[c.procurementMethod] ?? 'limited', procurementMethodDetails: c.procurementMethod }
            : {}),
          items: items.map((x) => ({
            id: String(x.id),
            description: x.title,
            classification: { scheme: 'x_StarFundCatalogue', id: x.catalogueCode },
          })),
        },
        awards: [
          {
            id: `${ocid}-award`,
            title: c.title,
            status: c.status === 'cancelled' ? 'cancelled' : 'active',
            date: at(c.signedOn),
            value: { amount: yuan(c.amountFen), currency: 'CNY' },
            suppliers: supplier ? [supplier] : [],
          },
        ],
        contracts: [
          {
            id: `${ocid}-contract`,
            awardID: `${ocid}-award`,
            title: c.title,
            status,
            dateSigned: at(c.signedOn),
            period: { startDate: at(c.startsOn), endDate: at(c.endsOn) },
            value: { amount: yuan(c.amountFen), currency: 'CNY' },
            implementation: {
              transactions: paid.map((i) => ({
                id: i.transferId ?? `${ocid}-t${i.seq}`,
                source: `${baseUrl}/api/public/open-data/${fundYear}/payments.json`,
                date: at(i.paidOn),
                value: { amount: yuan(i.amountFen), currency: 'CNY' },
                payer: buyer,
                ...(supplier ? { payee: supplier } : {}),
              })),
            },
          },
        ],
      };
    });
    return {
      uri: `${baseUrl}/api/public/open-data/${fundYear}/ocds/release-package.json`,
      version: '1.1',
      publishedDate: `${this.portal.today()}T00:00:00+08:00`,
      publisher: { name: '沈阳市民政局 StarFund' },
      license: 'https://creativecommons.org/licenses/by/4.0/',
      publicationPolicy: `${baseUrl}/portal/open-data`,
      releases,
    };
  }
}
