import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommonErrors } from '../../common/schemas.js';
import { attachment } from '../../common/xlsx.js';
import { actorOf } from '../auth/auth.hooks.js';
import type { HttpCache } from '../../http-cache.js';
import {
  AuditDaysView,
  CommunityPageView,
  DisclosureRecordView,
  MonitorQuery,
  MonitorView,
  OcdsParams,
  OcdsReleasePackage,
  OpenDataFile,
  OpenDataFileParams,
  OpenDataIndexView,
  PortalCommunityParams,
  PortalProjectParams,
  PortalRegionParams,
  ProjectPageView,
  PublicSiteView,
  RecordDisclosureBody,
  RegionPageView,
  SearchQuery,
  SearchView,
  YearQuery,
} from './disclosure.schemas.js';

const tags = ['disclosure'];

export const disclosureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const disclosure = app.services.disclosure;
  const portalLimit = app.config.publicRateLimits.portalPerMinute;
  /**
   * Kept by shared caches while the pages' data version stands; revalidated with a 304 (ADR 0024). The
   * version is read where the page is (request.reads: the replica's services when the page comes from it).
   */
  const pages: HttpCache = { version: (request) => request.reads.disclosure.pageVersion() };
  const publicConfig = { access: 'public' as const, rateLimit: { max: portalLimit, timeWindow: '1 minute' }, httpCache: pages };
  /** Portal pages and open data: served by the streaming replica when there is one (request.reads, ADR 0025). */
  const replicaConfig = { ...publicConfig, readsFromReplica: true };
  /** Downloads are heavier: fewer per minute. */
  const downloadConfig = {
    access: 'public' as const,
    rateLimit: { max: Math.max(10, Math.floor(portalLimit / 5)), timeWindow: '1 minute' },
    httpCache: pages,
    readsFromReplica: true,
  };

  // ---- public portal (no login, no personal data) [N 4.2] ----

  const site: PublicSiteView = { publicBaseUrl: app.config.publicBaseUrl };
  app.get(
    '/public/site',
    {
      schema: {
        tags,
        summary: '门户设置（无需登录） The address printed on QR posters and share links (PUBLIC_BASE_URL)',
        response: { 200: PublicSiteView, ...CommonErrors },
      },
      // Configuration only: its version is what it says.
      config: { ...publicConfig, httpCache: { version: async () => site.publicBaseUrl } },
    },
    async () => site,
  );

  app.get(
    '/public/portal/city',
    {
      schema: {
        tags,
        summary: '门户：全市（无需登录） City overview: districts with community counts and allocations',
        querystring: YearQuery,
        response: { 200: RegionPageView, ...CommonErrors },
      },
      config: replicaConfig,
    },
    async (request) => request.reads.disclosure.city(request.query.year),
  );

  app.get(
    '/public/portal/regions/:code',
    {
      schema: {
        tags,
        summary: '门户：区县或街道（无需登录） A district (its streets) or street (its communities)',
        params: PortalRegionParams,
        querystring: YearQuery,
        response: { 200: RegionPageView, ...CommonErrors },
      },
      config: replicaConfig,
    },
    async (request) => request.reads.disclosure.regionOverview(request.params.code, request.query.year),
  );

  app.get(
    '/public/portal/communities/:code',
    {
      schema: {
        tags,
        summary:
          '门户：社区年度公开信息（无需登录） A community in a fund year: allocation, step, needs, decision, notices, plan, contracts, payments, disclosures',
        params: PortalCommunityParams,
        querystring: YearQuery,
        response: { 200: CommunityPageView, ...CommonErrors },
      },
      config: replicaConfig,
    },
    // The version the ETag was computed from, so that a kept page costs no second read.
    async (request) => request.reads.disclosure.community(request.params.code, request.query.year, request.dataVersion ?? undefined),
  );

  app.get(
    '/public/portal/projects/:id',
    {
      schema: {
        tags,
        summary: "门户：项目全过程（无需登录） A filed project's trail from opinions (counts) to payments",
        params: PortalProjectParams,
        response: { 200: ProjectPageView, ...CommonErrors },
      },
      config: replicaConfig,
    },
    async (request) => request.reads.disclosure.project(request.params.id),
  );

  app.get(
    '/public/portal/search',
    {
      schema: {
        tags,
        summary: '门户：按名称查找社区（无需登录） Search communities by name',
        querystring: SearchQuery,
        response: { 200: SearchView, ...CommonErrors },
      },
      config: replicaConfig,
    },
    async (request) => request.reads.disclosure.search(request.query.q),
  );

  app.get(
    '/public/audit/daily-heads',
    {
      schema: {
        tags,
        summary: "可验证记录：每日审计链头哈希（无需登录） The audit chain's head hash at the end of each day",
        response: { 200: AuditDaysView, ...CommonErrors },
      },
      config: publicConfig,
    },
    async () => disclosure.auditDays(),
  );

  // ---- open data ----

  app.get(
    '/public/open-data',
    {
      schema: {
        tags,
        summary: '开放数据目录（无需登录） Open-data index: /api/public/open-data/{year}/{dataset}.{csv|xlsx|json}',
        response: { 200: OpenDataIndexView, ...CommonErrors },
      },
      config: replicaConfig,
    },
    async (request) => request.reads.disclosure.openDataIndex(),
  );

  app.get(
    '/public/open-data/:year/ocds/release-package.json',
    {
      schema: {
        tags,
        summary: '合同 OCDS 1.1 发布包（无需登录） Contracts as an OCDS 1.1 release package',
        params: OcdsParams,
        response: { 200: OcdsReleasePackage, ...CommonErrors },
      },
      // The package's URLs name the address it was asked at.
      config: {
        ...downloadConfig,
        httpCache: { version: async (request) => `${await disclosure.pageVersion()}|${request.protocol}://${request.host}` },
      },
    },
    async (request, reply) => {
      const base = `${request.protocol}://${request.host}`;
      const body = await request.reads.disclosure.ocdsPackage(request.params.year, base);
      return reply.header('content-disposition', attachment(`starfund-${request.params.year}-contracts-ocds.json`)).send(body);
    },
  );

  app.get(
    '/public/open-data/:year/:file',
    {
      schema: {
        tags,
        summary:
          '开放数据下载（无需登录） Download a dataset: allocations | projects | notices | contracts | payments | evaluations, as csv | xlsx | json',
        params: OpenDataFileParams,
        response: { 200: OpenDataFile, ...CommonErrors },
      },
      config: downloadConfig,
    },
    async (request, reply) => {
      const file = await request.reads.disclosure.openDataDownload(request.params.year, request.params.file);
      return reply.header('content-type', file.contentType).header('content-disposition', attachment(file.filename)).send(file.body);
    },
  );

  // ---- monitoring (street, district, city) ----

  app.get(
    '/disclosure/monitor',
    {
      schema: {
        tags,
        summary: '信息公开监测 Required disclosures per community, late or missing ones flagged [N 4.2]',
        querystring: MonitorQuery,
        response: { 200: MonitorView, ...CommonErrors },
      },
      config: { access: 'plans:read' },
    },
    async (request) => disclosure.monitor(actorOf(request), request.query.code, request.query.year),
  );

  app.post(
    '/disclosure/records',
    {
      schema: {
        tags,
        summary: '登记信息公开 Record a disclosure published on the notice board or website [N 4.2]',
        body: RecordDisclosureBody,
        response: { 200: DisclosureRecordView, ...CommonErrors },
      },
      config: { access: 'plans:write' },
    },
    async (request) => disclosure.record(actorOf(request), request.body),
  );
};
