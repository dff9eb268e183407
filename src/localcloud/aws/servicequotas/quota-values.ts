import type { Repositories } from '../store/repositories.js';
import { findQuota, type QuotaDefinition } from './quota-catalogue.js';

/** Approves the increase requests whose approval time has come: the desired value becomes the applied one. */
export async function settleQuotaRequests(repos: Repositories, now: Date): Promise<void> {
  for (const request of await repos.quotas.listDueRequests(now)) {
    await repos.quotas.setRequestStatus(request.id, 'APPROVED');
    const current = await repos.quotas.appliedValue(request.accountId, request.region, request.serviceCode, request.quotaCode);
    if (current === undefined || request.desiredValue > current) {
      await repos.quotas.setAppliedValue(request.accountId, request.region, request.serviceCode, request.quotaCode, request.desiredValue);
    }
  }
}

/**
 * The value of a quota that applies to an account in a region now: AWS's default until an increase
 * was approved. Settles due requests first, so an approval shows on the first read after it.
 */
export async function appliedQuota(repos: Repositories, accountId: string, region: string, quota: Pick<QuotaDefinition, 'serviceCode' | 'quotaCode'>, now: Date): Promise<number> {
  const definition = findQuota(quota.serviceCode, quota.quotaCode);
  // One query when no request is due (nearly always); otherwise settle them and read again.
  const first = await repos.quotas.appliedValueUnlessDue(accountId, region, quota.serviceCode, quota.quotaCode, now);
  let applied = first.value;
  if (first.anyDue) {
    await settleQuotaRequests(repos, now);
    applied = await repos.quotas.appliedValue(accountId, region, quota.serviceCode, quota.quotaCode);
  }
  return applied ?? definition?.defaultValue ?? 0;
}
