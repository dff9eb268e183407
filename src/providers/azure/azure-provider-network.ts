import type { VirtualNetwork } from '@azure/arm-network';
import { ProviderError } from '../cloud-provider.js';
import type { AzureClients } from './azure-clients.js';
import { azure, azureOrAbsent } from './azure-errors.js';
import { settles } from './azure-operations.js';

/**
 * The provider virtual network of a pool subscription in a region: the VNet privlink makes for the
 * load balancers and private link services of every endpoint service placed in that subscription
 * and region, in its own resource group, with one private-link subnet. Found by its tag, never by a
 * stored id, so a create whose answer was lost is adopted (its name is fixed too, so two replicas
 * racing on an empty region make one VNet).
 */
export const PROVIDER_VNET_TAG = 'privlink-provider-vnet';
/** The provider VNet's address space; its one subnet spans it (two addresses per endpoint service: the frontend and the NAT IP). */
const PROVIDER_ADDRESS_SPACE = '10.64.0.0/16';
const PROVIDER_SUBNET = 'privatelink';

/** Names of the provider network in a region (`privlink-provider-eastus`). */
export function providerNetworkNames(region: string): { readonly resourceGroup: string; readonly virtualNetwork: string; readonly subnet: string } {
  return { resourceGroup: `privlink-provider-${region}`, virtualNetwork: `privlink-provider-${region}`, subnet: PROVIDER_SUBNET };
}

/** Where a placed service's load balancer and private link service go: the provider VNet and its subnet. */
export interface ProviderNetwork {
  readonly virtualNetworkId: string;
  readonly subnetId: string;
}

/**
 * The provider VNet(s) of the subscription in the region, by tag, lowest id first (should two have
 * been made, the first is the provider VNet for every replica).
 */
export async function findProviderVnets(clients: AzureClients, region: string): Promise<VirtualNetwork[]> {
  const found: VirtualNetwork[] = [];
  await azure(async () => {
    for await (const vnet of clients.network.virtualNetworks.listAll()) {
      if (vnet.tags?.[PROVIDER_VNET_TAG] === region) found.push(vnet);
    }
  });
  return found.sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
}

/**
 * Makes (or finds) the provider VNet and its subnet. Non-blocking like every Azure step: returns
 * undefined while the VNet is still provisioning (the next pass goes on). Idempotent.
 */
export async function ensureProviderNetwork(clients: AzureClients, region: string): Promise<ProviderNetwork | undefined> {
  const [existing] = await findProviderVnets(clients, region);
  if (existing?.id) {
    if (existing.provisioningState !== 'Succeeded') return undefined;
    const subnet = existing.subnets?.find((s) => s.name === PROVIDER_SUBNET) ?? existing.subnets?.[0];
    if (!subnet?.id) throw new ProviderError('invalid', 'ProviderSubnetMissing', `The provider virtual network ${existing.id} has no subnet`);
    return { virtualNetworkId: existing.id, subnetId: subnet.id };
  }
  const names = providerNetworkNames(region);
  const tags = { [PROVIDER_VNET_TAG]: region };
  await azure(() => clients.resources.resourceGroups.createOrUpdate(names.resourceGroup, { location: region, tags }));
  const done = await settles(() =>
    clients.network.virtualNetworks.beginCreateOrUpdate(names.resourceGroup, names.virtualNetwork, {
      location: region,
      tags,
      addressSpace: { addressPrefixes: [PROVIDER_ADDRESS_SPACE] },
      subnets: [{ name: names.subnet, addressPrefix: PROVIDER_ADDRESS_SPACE, privateLinkServiceNetworkPolicies: 'Disabled' }],
    }),
  );
  if (!done) return undefined;
  return ensureProviderNetwork(clients, region);
}

/**
 * Deletes the provider VNet(s) of the region with their resource groups, once no load balancer
 * of the subscription uses them (a `conflict` otherwise, and while a deletion is still running:
 * the caller retries). Absence is success.
 */
export async function deleteProviderNetwork(clients: AzureClients, region: string): Promise<void> {
  const vnets = await findProviderVnets(clients, region);
  if (vnets.length === 0) {
    const group = await azureOrAbsent(() => clients.resources.resourceGroups.get(providerNetworkNames(region).resourceGroup));
    if (group) await deleteGroup(clients, providerNetworkNames(region).resourceGroup);
    return;
  }
  const users: string[] = [];
  await azure(async () => {
    for await (const lb of clients.network.loadBalancers.listAll()) {
      for (const frontend of lb.frontendIPConfigurations ?? []) {
        const subnetId = frontend.subnet?.id?.toLowerCase() ?? '';
        if (vnets.some((v) => v.id && subnetId.startsWith(`${v.id.toLowerCase()}/subnets/`))) users.push(lb.id ?? lb.name ?? '');
      }
    }
  });
  if (users.length > 0) throw new ProviderError('conflict', 'InUseSubnetCannotBeDeleted', `Load balancers still use the provider virtual network: ${users.join(', ')}`);
  for (const vnet of vnets) {
    const group = /\/resourceGroups\/([^/]+)\//i.exec(vnet.id ?? '')?.[1];
    if (group) await deleteGroup(clients, group);
  }
}

async function deleteGroup(clients: AzureClients, name: string): Promise<void> {
  const group = await azureOrAbsent(() => clients.resources.resourceGroups.get(name));
  if (!group) return;
  if (group.properties?.provisioningState !== 'Deleting' && (await settles(() => clients.resources.resourceGroups.beginDelete(name)))) return;
  throw new ProviderError('conflict', 'ResourceGroupBeingDeleted', `The provider resource group ${name} is being deleted`);
}
