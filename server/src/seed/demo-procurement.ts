import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Tx } from '../db/client.js';
import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { contractRef } from '../modules/procurement/procurement.service.js';
import { creditCodeCheckChar } from '../modules/procurement/procurement.rules.js';
import { addDays } from '../common/dates.js';
import type { DemoTimeline } from './demo-timeline.js';
import { ProcurementRepository } from '../modules/procurement/procurement.repository.js';
import { DeliveryRepository } from '../modules/delivery/delivery.repository.js';

/**
 * Demo providers, procurements, contracts and delivery records (issue 7) for fund year 2026:
 * four providers (one ineligible after a failed 2025 final evaluation), two provider accounts,
 * contracts signed for the filed plans' projects (committed in the ledger), activities with
 * small generated photos, one instalment paid, one awaiting the street's approval, and a third
 * contract whose on-signing instalment the provider may still request.
 * Dates count back from today, like the plans seed.
 */

const PROVIDERS = [
  {
    name: '沈阳市和平区星光社会工作服务中心',
    kind: 'social_organisation',
    stem: '52210102MJ0000001',
    authority: '沈阳市和平区民政局',
    contact: '刘晓燕',
  },
  {
    name: '沈河区街道社工站（联合运营）',
    kind: 'social_work_station',
    stem: '52210103MJ0000002',
    authority: '沈阳市沈河区民政局',
    contact: '张伟',
  },
  {
    name: '沈阳师范大学社会工作研究中心',
    kind: 'university',
    stem: '12210100MB0000003',
    authority: '辽宁省事业单位登记管理局',
    contact: '陈教授',
  },
  {
    name: '沈阳市某社区服务发展中心',
    kind: 'social_organisation',
    stem: '52210104MJ0000004',
    authority: '沈阳市大东区民政局',
    contact: '赵敏',
  },
] as const;

export async function seedDemoProcurement(
  tx: Tx,
  services: Services,
  passwordHash: string,
  timeline: DemoTimeline,
): Promise<Record<string, number>> {
  const { today, fundYear: FUND_YEAR } = timeline;
  // The demo writes its history directly (no API can back-date it); the repositories are the modules' own.
  const repo = new ProcurementRepository();
  const deliveryRepo = new DeliveryRepository();
  const providerIds: number[] = [];
  for (const [i, p] of PROVIDERS.entries()) {
    const row = (await repo.insertProvider(tx, {
      name: p.name,
      kind: p.kind,
      creditCode: `${p.stem}${creditCodeCheckChar(p.stem)}`,
      registrationAuthority: p.authority,
      address: '沈阳市（演示数据）',
      contacts: [{ name: p.contact, phone: `024-2${String(3456780 + i)}`, title: '项目负责人' }],
      regionCode: null,
    }))!;
    await repo.replaceQualifications(tx, row.id, [
      {
        name: p.kind === 'university' ? '事业单位法人证书' : '社会组织法人登记证书',
        issuer: p.authority,
        number: `演示-${i + 1}`,
        validUntil: `${FUND_YEAR + 3}-12-31`,
      },
    ]);
    providerIds.push(row.id);
  }
  await services.procurement.recordIneligibility(
    tx,
    {
      providerId: providerIds[3]!,
      year: FUND_YEAR,
      reason: `${FUND_YEAR - 1} 年度终期评估结果为不合格 [N 3.2]`,
      source: 'final_evaluation',
      sourceRef: `${FUND_YEAR - 1} 年度终期评估（演示数据）`,
    },
    SYSTEM_ACTOR,
  );
  await services.auth.insertUsers(
    [
      { username: 'provider-1', displayName: PROVIDERS[0].name, role: 'provider', scopeCode: null, orgId: providerIds[0]!, passwordHash },
      { username: 'provider-2', displayName: PROVIDERS[1].name, role: 'provider', scopeCode: null, orgId: providerIds[1]!, passwordHash },
    ],
    tx,
  );

  // Contracts for the projects of the filed plans, one community at a time.
  const projects = await services.plans.filedProjects(tx, { fundYear: FUND_YEAR });
  const byCommunity = new Map<string, typeof projects>();
  for (const p of projects) {
    const code = p.communityCodes[0];
    if (code) byCommunity.set(code, [...(byCommunity.get(code) ?? []), p]);
  }
  const signedOn = addDays(today, -25);
  const endsOn = `${FUND_YEAR}-12-31` > addDays(today, 30) ? `${FUND_YEAR}-12-31` : addDays(today, 90);
  let contracts = 0;
  let activities = 0;
  for (const [code, list] of [...byCommunity.entries()].sort()) {
    const community = await services.ledger.communityAccount(tx, FUND_YEAR, code);
    if (!community) continue;
    const groups = [list.slice(0, 2), list.slice(2, 4), list.slice(4, 6)].filter((g) => g.length > 0);
    for (const [g, group] of groups.entries()) {
      const providerId = providerIds[g === 1 ? 1 : 0]!;
      const budget = group.reduce((s, p) => s + p.budgetFen, 0);
      const proc = await repo.insertProcurement(tx, {
        fundYear: FUND_YEAR,
        purchaserKind: 'community',
        purchaserCode: code,
        regionPath: community.regionPath,
        method: (['competitive_consultation', 'inquiry', 'small_direct'] as const)[g]!,
        projectIds: group.map((p) => p.projectId),
        budgetFen: budget,
        candidates: [
          { providerId, name: PROVIDERS[g === 1 ? 1 : 0]!.name, quoteFen: budget, note: '综合得分第一' },
          { providerId: providerIds[2]!, name: PROVIDERS[2].name, quoteFen: budget, note: '' },
        ],
        selectedProviderId: providerId,
        selectionReason: '服务方案完整、本地服务经验丰富，综合评分最高（演示数据）',
        documents: [{ name: '采购文件与评审记录', kind: 'tender', ref: null }],
        decidedOn: addDays(signedOn, -3),
      });
      const first = Math.round((budget * 0.4) / 100) * 100;
      const mid = Math.round((budget * 0.3) / 100) * 100;
      const c = await repo.insertContract(tx, {
        fundYear: FUND_YEAR,
        procurementId: proc.id,
        purchaserKind: 'community',
        purchaserCode: code,
        communityCode: code,
        regionPath: community.regionPath,
        providerId,
        title: `${group.map((p) => p.title).join('、')}服务项目`,
        amountFen: budget,
        startsOn: signedOn,
        endsOn,
        deliverables: ['按方案开展服务活动并留存台账', '中期、终期服务报告'],
      });
      await repo.insertContractProjects(
        tx,
        c.id,
        group.map((p) => p.projectId),
      );
      await repo.insertInstalments(tx, [
        { contractId: c.id, seq: 1, condition: 'on_signing', amountFen: first },
        { contractId: c.id, seq: 2, condition: 'after_midterm_passed', amountFen: mid },
        { contractId: c.id, seq: 3, condition: 'after_final_passed', amountFen: budget - first - mid },
      ]);
      const ref = contractRef(c);
      const committed = await services.ledger.commit(
        tx,
        { id: `${ref}:commitment`, fundYear: FUND_YEAR, communityCode: code, contractRef: ref, amount: budget, reference: `合同 ${ref}` },
        SYSTEM_ACTOR,
      );
      await repo.updateContract(tx, c.id, { status: 'signed', signedOn, commitmentTransferId: committed.transfer.id });
      const [inst1] = await repo.instalments(tx, [c.id]);
      if (contracts === 0) {
        // The first contract's on-signing instalment is paid.
        const paid = await services.ledger.postPending(
          tx,
          { id: `${ref}:instalment-1`, pendingId: committed.transfer.id, amount: first, reference: `合同 ${ref} 第 1 期（合同签订后）` },
          SYSTEM_ACTOR,
        );
        const req = (await repo.insertPaymentRequestOnce(tx, {
          instalmentId: inst1!.id,
          contractId: c.id,
          payeeProviderId: providerId,
          amountFen: first,
          note: '合同已签订，申请首期款',
          requestedOn: addDays(signedOn, 2),
        }))!;
        await repo.updatePaymentRequest(tx, req.id, {
          status: 'approved',
          decidedOn: addDays(signedOn, 5),
          decisionNote: '同意拨付（演示数据）',
          transferId: paid.transfer.id,
        });
        await repo.updateInstalment(tx, inst1!.id, { status: 'paid', transferId: paid.transfer.id, paidOn: addDays(signedOn, 5) });
      } else if (contracts === 1) {
        // The second awaits the street office's approval.
        await repo.insertPaymentRequestOnce(tx, {
          instalmentId: inst1!.id,
          contractId: c.id,
          payeeProviderId: providerId,
          amountFen: first,
          note: '申请首期款',
          requestedOn: addDays(today, -1),
        });
        await repo.updateInstalment(tx, inst1!.id, { status: 'requested' });
      }
      await services.audit.record(tx, SYSTEM_ACTOR, {
        action: 'contract.sign',
        entityType: 'contract',
        entityId: String(c.id),
        regionPath: c.regionPath,
        after: { ref, amountFen: budget, providerId, seeded: true },
      });
      contracts++;

      for (const [k, title] of ['启动仪式暨居民需求恳谈会', '主题服务活动'].entries()) {
        const a = await deliveryRepo.insertActivity(tx, {
          contractId: c.id,
          planProjectId: group[0]!.projectId,
          heldOn: addDays(signedOn, 5 + k * 10),
          place: '社区党群服务中心活动室',
          content: `${group[0]!.title}：${title}（演示数据）`,
          participants: 30 + k * 12,
          beneficiaries: 25 + k * 10,
          volunteers: 5 + k * 2,
          charityResources: k === 1 ? '辖区爱心企业捐赠物资一批' : '',
          charityValueFen: k === 1 ? 150_000 : 0,
        });
        const png = demoPng(contracts * 10 + k);
        await deliveryRepo.insertAttachment(tx, {
          contractId: c.id,
          activityId: a.id,
          fileName: `活动照片-${k + 1}.png`,
          mediaType: 'image/png',
          sizeBytes: png.length,
          sha256: createHash('sha256').update(png).digest('hex'),
          content: png,
        });
        activities++;
      }
    }
  }
  return { providers: providerIds.length, contracts, deliveryActivities: activities };
}

/** A small valid PNG (48×32, one colour per seed, with a lighter band), deterministic. */
export function demoPng(seed: number): Buffer {
  const w = 48;
  const h = 32;
  const base = [
    [64, 140, 220],
    [90, 180, 120],
    [230, 150, 60],
    [170, 100, 200],
  ][seed % 4]!;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const light = y > 10 && y < 22 ? 50 : 0;
      for (let ch = 0; ch < 3; ch++) raw[y * (w * 3 + 1) + 1 + x * 3 + ch] = Math.min(255, base[ch]! + light);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
