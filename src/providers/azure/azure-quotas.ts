import type { AccountRegionQuotas, ProviderQuota } from '../cloud-provider.js';
import type { AzureClients } from './azure-clients.js';
import { azure } from './azure-errors.js';

/**
 * The Microsoft.Network usages that bound a pool subscription in a region (`Usages_List`:
 * `GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/usages`), with
 * Azure's documented defaults for when a usage is not reported: private link services 800 per
 * subscription, load balancers 1,000 and virtual networks 1,000 per region and subscription.
 */
export const AZURE_USAGES = {
  privateLinkServices: { serviceCode: 'Microsoft.Network', quotaCode: 'PrivateLinkServices', quotaName: 'Private Link Services', defaultValue: 800 },
  loadBalancers: { serviceCode: 'Microsoft.Network', quotaCode: 'LoadBalancers', quotaName: 'Load Balancers', defaultValue: 1000 },
  virtualNetworks: { serviceCode: 'Microsoft.Network', quotaCode: 'VirtualNetworks', quotaName: 'Virtual Networks', defaultValue: 1000 },
} as const;

/**
 * Load-balancing and inbound NAT rules per Standard load balancer ("1,500"), a fixed Azure limit
 * no usage reports: one rule per node port, the Azure counterpart of AWS's listeners per load balancer.
 */
export const AZURE_RULES_PER_LOAD_BALANCER: ProviderQuota = {
  serviceCode: 'Microsoft.Network',
  quotaCode: 'LoadBalancerRules',
  quotaName: 'Rules (load balancing and inbound NAT) per load balancer',
  value: 1500,
};

/**
 * Reads the subscription's network usages in `region`. Each endpoint service takes one private
 * link service and one load balancer: the one with the lower limit is the per-service quota (a pool
 * subscription is privlink's alone, so both are used alike). The provider VNet takes one virtual
 * network; `vpcsInUse` is Azure's own count of them.
 */
export async function readAzureQuotas(clients: AzureClients, region: string): Promise<Omit<AccountRegionQuotas, 'hasProviderNetwork'>> {
  const usages = new Map<string, { limit: number; currentValue: number; localizedName: string | undefined }>();
  await azure(async () => {
    for await (const usage of clients.network.usages.list(region)) {
      if (usage.name?.value) usages.set(usage.name.value, { limit: Number(usage.limit), currentValue: Number(usage.currentValue), localizedName: usage.name.localizedValue });
    }
  });
  const quota = (spec: (typeof AZURE_USAGES)[keyof typeof AZURE_USAGES]): ProviderQuota => {
    const read = usages.get(spec.quotaCode);
    return { serviceCode: spec.serviceCode, quotaCode: spec.quotaCode, quotaName: read?.localizedName ?? spec.quotaName, value: read ? read.limit : spec.defaultValue };
  };
  const services = quota(AZURE_USAGES.privateLinkServices);
  const balancers = quota(AZURE_USAGES.loadBalancers);
  return {
    loadBalancers: balancers.value < services.value ? balancers : services,
    vpcs: quota(AZURE_USAGES.virtualNetworks),
    vpcsInUse: usages.get(AZURE_USAGES.virtualNetworks.quotaCode)?.currentValue ?? 0,
    listeners: AZURE_RULES_PER_LOAD_BALANCER,
  };
}
