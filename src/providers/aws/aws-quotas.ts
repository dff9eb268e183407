import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import type { ProviderQuota } from '../cloud-provider.js';
import type { RegionClients } from './aws-clients.js';
import { aws, awsOrAbsent } from './aws-errors.js';

/** ELB "Network Load Balancers per Region" (default 50, adjustable). */
export const NLB_QUOTA = { serviceCode: 'elasticloadbalancing', quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region' } as const;
/** ELB "Listeners per Network Load Balancer" (default 50, not adjustable through Service Quotas). */
export const LISTENER_QUOTA = { serviceCode: 'elasticloadbalancing', quotaCode: 'L-57A373D6', quotaName: 'Listeners per Network Load Balancer' } as const;
/** Amazon VPC "VPCs per Region" (default 5, adjustable). */
export const VPC_QUOTA = { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', quotaName: 'VPCs per Region' } as const;

/**
 * The value of a quota that applies to the account in the region (Service Quotas
 * GetServiceQuota); AWS's default (GetAWSDefaultServiceQuota) when the account has no applied
 * value for it (NoSuchResourceException).
 */
export async function readQuota(clients: RegionClients, quota: { serviceCode: string; quotaCode: string; quotaName: string }): Promise<ProviderQuota> {
  const input = { ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode };
  const applied = await awsOrAbsent(() => clients.quotas.send(new GetServiceQuotaCommand(input)), ['NoSuchResourceException']);
  const found = applied?.Quota ?? (await aws(() => clients.quotas.send(new GetAWSDefaultServiceQuotaCommand(input)))).Quota;
  return { ...quota, quotaName: found?.QuotaName ?? quota.quotaName, value: Number(found?.Value ?? 0) };
}
