import { computeErrors } from './compute-error.js';
import type { ComputeContext } from './compute-context.js';
import { regionOfScope } from './links.js';
import type { JsonObject } from './store/schema.js';

/**
 * Compute Engine quotas as the emulator states and enforces them: the regional metrics that
 * `regions.get` lists in its `quotas` array and the project-wide ones of `projects.get`, each with
 * its limit (a default, or what `setQuotaLimit` stored: an approved increase) and its usage counted
 * from the project's live resources. An insert that would take one more than the limit is refused
 * with Compute's 403 `quotaExceeded` ("Quota 'SERVICE_ATTACHMENTS' exceeded.  Limit: 100.0 in
 * region us-central1.", "… Limit: 15.0 globally." for a project quota).
 */
export interface QuotaMetric {
  /** Compute's metric name (`SERVICE_ATTACHMENTS`). */
  readonly metric: string;
  /** `regional`: per project and region (regions.get); `global`: per project (projects.get). */
  readonly scope: 'regional' | 'global';
  /** The collection whose live resources use it (one each). */
  readonly collection: string;
  /** The limit of a project that never asked for more. */
  readonly defaultLimit: (ctx: ComputeContext) => number;
}

/**
 * The metrics the emulator counts. The defaults are the emulator's (a real project reports its own
 * through the same calls): service attachments 100 per region, internal addresses the configured
 * `internalAddresses` (200) per region, networks 15 and subnetworks 275 per project.
 */
export const QUOTA_METRICS: readonly QuotaMetric[] = [
  { metric: 'SERVICE_ATTACHMENTS', scope: 'regional', collection: 'serviceAttachments', defaultLimit: () => 100 },
  { metric: 'INTERNAL_ADDRESSES', scope: 'regional', collection: 'addresses', defaultLimit: (ctx) => ctx.quotas.internalAddresses },
  { metric: 'NETWORKS', scope: 'global', collection: 'networks', defaultLimit: () => 15 },
  { metric: 'SUBNETWORKS', scope: 'global', collection: 'subnetworks', defaultLimit: () => 275 },
];

/** The setting key of a stored limit: `quota|<project>|<region or global>|<metric>`. */
export function quotaSettingKey(project: string, region: string | undefined, metric: string): string {
  return `quota|${project}|${region ?? 'global'}|${metric}`;
}

async function limitOf(ctx: ComputeContext, project: string, region: string | undefined, quota: QuotaMetric): Promise<number> {
  const stored = await ctx.repos.control.getSetting(quotaSettingKey(project, region, quota.metric));
  return stored === undefined || stored === '' ? quota.defaultLimit(ctx) : Number(stored);
}

async function usageOf(ctx: ComputeContext, project: string, region: string | undefined, quota: QuotaMetric): Promise<number> {
  const scope = region === undefined ? undefined : `regions/${region}`;
  return ctx.repos.resources.countLive({ collection: quota.collection, project, ...(scope ? { scope } : {}) }, ctx.now);
}

/** The `quotas` array of a region (`region` given) or of the project (`undefined`): `{metric, limit, usage}`. */
export async function quotasOf(ctx: ComputeContext, project: string, region: string | undefined): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for (const quota of QUOTA_METRICS.filter((q) => q.scope === (region === undefined ? 'global' : 'regional'))) {
    out.push({ metric: quota.metric, limit: await limitOf(ctx, project, region, quota), usage: await usageOf(ctx, project, region, quota) });
  }
  return out;
}

/**
 * Refuses an insert into `collection` of `project` in `scope` that would go over a counted metric
 * (INTERNAL_ADDRESSES counts every address, as the emulator holds internal ones only). Call before the resource is stored.
 */
export async function enforceQuota(ctx: ComputeContext, project: string, scope: string, collection: string): Promise<void> {
  for (const quota of QUOTA_METRICS) {
    if (quota.collection !== collection) continue;
    const region = quota.scope === 'regional' ? regionOfScope(scope) : undefined;
    if (quota.scope === 'regional' && region === undefined) continue;
    const limit = await limitOf(ctx, project, region, quota);
    if ((await usageOf(ctx, project, region, quota)) + 1 > limit) {
      throw region === undefined ? computeErrors.quotaExceededGlobally(quota.metric, limit) : computeErrors.quotaExceeded(quota.metric, limit, region);
    }
  }
}
