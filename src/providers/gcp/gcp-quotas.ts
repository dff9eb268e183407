import type { AccountRegionQuotas, ProviderQuota } from '../cloud-provider.js';
import type { GcpClients } from './gcp-clients.js';
import { gcp } from './gcp-errors.js';

/**
 * The Compute Engine quota metrics that bound a pool project: SERVICE_ATTACHMENTS per region (each
 * port-mapped endpoint service takes one; a legacy service six), from `regions.get`'s `quotas`; and
 * NETWORKS per project (the provider network takes one), from `projects.get`'s. When Compute does
 * not report a metric, the local GCP cloud's default stands in (100 attachments per region, 15 networks).
 */
export const GCP_QUOTAS = {
  serviceAttachments: { serviceCode: 'compute.googleapis.com', quotaCode: 'SERVICE_ATTACHMENTS', quotaName: 'Service attachments', defaultValue: 100 },
  networks: { serviceCode: 'compute.googleapis.com', quotaCode: 'NETWORKS', quotaName: 'Networks', defaultValue: 15 },
} as const;

/**
 * Port mappings per port-mapping network endpoint group: one per node port of the project region's
 * clusters, the GCP counterpart of AWS's listeners per load balancer. No Compute metric reports it;
 * privlink bounds it at 10,000, which no project region's clusters reach.
 */
export const GCP_PORT_MAPPINGS_PER_GROUP: ProviderQuota = {
  serviceCode: 'compute.googleapis.com',
  quotaCode: 'PORT_MAPPINGS_PER_NETWORK_ENDPOINT_GROUP',
  quotaName: 'Port mappings per network endpoint group',
  value: 10_000,
};

/** Reads a pool project's quotas in `region` (regions.get and projects.get). `vpcsInUse` is Compute's own NETWORKS usage. */
export async function readGcpQuotas(clients: GcpClients, region: string): Promise<Omit<AccountRegionQuotas, 'hasProviderNetwork'>> {
  const project = clients.connection.projectId;
  const c = await clients.compute();
  const [[regionInfo], [projectInfo]] = await Promise.all([gcp(() => c.regions.get({ project, region })), gcp(() => c.projects.get({ project }))]);
  const find = (quotas: typeof regionInfo.quotas, metric: string) => (quotas ?? []).find((q) => q.metric === metric);
  const attachments = find(regionInfo.quotas, GCP_QUOTAS.serviceAttachments.quotaCode);
  const networks = find(projectInfo.quotas, GCP_QUOTAS.networks.quotaCode);
  const quota = (spec: (typeof GCP_QUOTAS)[keyof typeof GCP_QUOTAS], read: { limit?: number | null } | undefined): ProviderQuota => ({
    serviceCode: spec.serviceCode,
    quotaCode: spec.quotaCode,
    quotaName: spec.quotaName,
    value: read?.limit != null ? Number(read.limit) : spec.defaultValue,
  });
  return {
    loadBalancers: quota(GCP_QUOTAS.serviceAttachments, attachments),
    vpcs: quota(GCP_QUOTAS.networks, networks),
    vpcsInUse: Number(networks?.usage ?? 0),
    listeners: GCP_PORT_MAPPINGS_PER_GROUP,
  };
}
