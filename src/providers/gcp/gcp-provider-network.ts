import { ProviderError } from '../cloud-provider.js';
import type { GcpClients } from './gcp-clients.js';
import { gcp, gcpOrAbsent } from './gcp-errors.js';
import { settles } from './gcp-operations.js';

/**
 * The provider network of a pool project: one custom-mode VPC network per project (networks are
 * global in GCP, and NETWORKS is a project quota), with per region where services are placed a
 * subnet for their forwarding rules and endpoint groups and a PSC NAT subnet
 * (`purpose: PRIVATE_SERVICE_CONNECT`) for their service attachments. Fixed names, so a create
 * whose answer was lost is found by name and adopted, and two replicas racing make one network.
 * Each region takes its own /16 of 10.64.0.0/10 (subnets of one network may not overlap in any
 * region): the main subnet its lower /17, the NAT subnet its upper /17, the lowest block no other
 * subnet of the network overlaps.
 */
export const PROVIDER_NETWORK = 'privlink-provider';

/** Names of a region's subnets in the provider network (`privlink-provider-us-central1`, `…-psc`). */
export function providerSubnetNames(region: string): { readonly subnet: string; readonly natSubnet: string } {
  return { subnet: `${PROVIDER_NETWORK}-${region}`, natSubnet: `${PROVIDER_NETWORK}-${region}-psc` };
}

/** Where a placed service's endpoint groups, forwarding rules and attachments go (paths from `projects/`). */
export interface GcpProviderNetwork {
  readonly network: string;
  readonly subnet: string;
  readonly natSubnet: string;
}

/** Paths of the provider network and the region's subnets in `project`. */
export function providerNetworkPaths(project: string, region: string): GcpProviderNetwork {
  const names = providerSubnetNames(region);
  return {
    network: `projects/${project}/global/networks/${PROVIDER_NETWORK}`,
    subnet: `projects/${project}/regions/${region}/subnetworks/${names.subnet}`,
    natSubnet: `projects/${project}/regions/${region}/subnetworks/${names.natSubnet}`,
  };
}

/** Whether the project already has the provider network (a new region then needs subnets only, no NETWORKS quota). */
export async function hasProviderNetwork(clients: GcpClients): Promise<boolean> {
  const c = await clients.compute();
  return (await gcpOrAbsent(() => c.networks.get({ project: clients.connection.projectId, network: PROVIDER_NETWORK }))) !== undefined;
}

/**
 * Makes (or finds) the provider network and the region's two subnets. Non-blocking: undefined while
 * a step's operation is still running (the next pass goes on). Idempotent; a subnet range taken by
 * another region meanwhile (a racing replica) is a `conflict`, retried.
 */
export async function ensureProviderNetwork(clients: GcpClients, region: string): Promise<GcpProviderNetwork | undefined> {
  const project = clients.connection.projectId;
  const c = await clients.compute();
  const paths = providerNetworkPaths(project, region);
  const names = providerSubnetNames(region);
  let [network] = (await gcpOrAbsent(() => c.networks.get({ project, network: PROVIDER_NETWORK }))) ?? [];
  if (!network) {
    const done = await adopting(() =>
      settles(clients, () =>
        c.networks.insert({
          project,
          networkResource: { name: PROVIDER_NETWORK, autoCreateSubnetworks: false, description: 'privlink provider network (endpoint services placed in this project)' },
        }),
      ),
    );
    if (!done) return undefined;
    [network] = await gcp(() => c.networks.get({ project, network: PROVIDER_NETWORK }));
  }
  const subnet = await gcpOrAbsent(async () => (await c.subnetworks.get({ project, region, subnetwork: names.subnet }))[0]);
  let block: number;
  if (subnet) {
    block = Number(/^10\.(\d+)\./.exec(subnet.ipCidrRange ?? '')?.[1] ?? 64) - 64;
  } else {
    block = await freeBlock(clients, network.subnetworks ?? []);
    const done = await adopting(() =>
      settles(clients, () =>
        c.subnetworks.insert({
          project,
          region,
          subnetworkResource: { name: names.subnet, network: paths.network, ipCidrRange: `10.${64 + block}.0.0/17`, description: 'privlink provider subnet' },
        }),
      ),
    );
    if (!done) return undefined;
  }
  if (!(await gcpOrAbsent(() => c.subnetworks.get({ project, region, subnetwork: names.natSubnet })))) {
    const done = await adopting(() =>
      settles(clients, () =>
        c.subnetworks.insert({
          project,
          region,
          subnetworkResource: {
            name: names.natSubnet,
            network: paths.network,
            ipCidrRange: `10.${64 + block}.128.0/17`,
            purpose: 'PRIVATE_SERVICE_CONNECT',
            description: 'privlink provider PSC NAT subnet',
          },
        }),
      ),
    );
    if (!done) return undefined;
  }
  return paths;
}

/**
 * Deletes the region's two subnets once no forwarding rule, endpoint group or attachment uses them
 * (Compute refuses with resourceInUseByAnotherResource: a `conflict`, retried), then the network
 * when no region's subnet is left in it. A deletion still running is a `conflict` too. Absence is success.
 */
export async function deleteProviderNetwork(clients: GcpClients, region: string): Promise<void> {
  const project = clients.connection.projectId;
  const c = await clients.compute();
  const names = providerSubnetNames(region);
  for (const subnetwork of [names.natSubnet, names.subnet]) {
    if (!(await gcpOrAbsent(() => c.subnetworks.get({ project, region, subnetwork })))) continue;
    if (!(await settles(clients, () => c.subnetworks.delete({ project, region, subnetwork })))) {
      throw new ProviderError('conflict', 'ProviderSubnetBeingDeleted', `The provider subnet ${subnetwork} is being deleted`);
    }
  }
  const network = await gcpOrAbsent(async () => (await c.networks.get({ project, network: PROVIDER_NETWORK }))[0]);
  if (!network || (network.subnetworks ?? []).length > 0) return;
  if (!(await settles(clients, () => c.networks.delete({ project, network: PROVIDER_NETWORK })))) {
    throw new ProviderError('conflict', 'ProviderNetworkBeingDeleted', `The provider network ${PROVIDER_NETWORK} is being deleted`);
  }
}

/** The lowest /16 block of 10.64.0.0/10 that no subnet of the network (`links` from networks.get) overlaps. */
async function freeBlock(clients: GcpClients, links: readonly string[]): Promise<number> {
  const c = await clients.compute();
  const taken = new Set<number>();
  for (const link of links) {
    const match = /projects\/([^/]+)\/regions\/([^/]+)\/subnetworks\/([^/]+)$/.exec(link);
    if (!match) continue;
    const subnet = await gcpOrAbsent(async () => (await c.subnetworks.get({ project: match[1]!, region: match[2]!, subnetwork: match[3]! }))[0]);
    const octet = /^10\.(\d+)\./.exec(subnet?.ipCidrRange ?? '')?.[1];
    if (octet) taken.add(Number(octet) - 64);
  }
  for (let block = 0; block < 64; block++) if (!taken.has(block)) return block;
  throw new ProviderError('invalid', 'ProviderNetworkFull', 'The provider network has a subnet in 64 regions already');
}

/**
 * Runs a create; an `alreadyExists` answer (another replica, or a retried call whose first answer
 * was lost) means the resource is there: true. A range overlap with a region taken meanwhile is a conflict.
 */
async function adopting(create: () => Promise<boolean>): Promise<boolean> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'alreadyExists') return true;
    if (error instanceof ProviderError && error.kind === 'invalid' && /conflicts with existing subnetwork/.test(error.message)) {
      throw new ProviderError('conflict', 'SubnetRangeTaken', error.message);
    }
    throw error;
  }
}
