import type { NetworkManagementClient, Subnet, VirtualNetwork } from '@azure/arm-network';
import { CliError } from '../../../framework/cli-errors.js';
import { defineCommand } from '../../../framework/command-spec.js';
import { ARM_FLAGS, armClients, callArm, outputChoice, privateEndpointAddress } from './arm-session.js';

/**
 * `privlink localcloud azure create-private-endpoint --private-link-service-id <id> --location <region>`:
 * the customer's private endpoint to a private link service, as Atlas's Azure docs have the
 * customer make it (a manual connection request the service owner approves). Makes the resource
 * group, the virtual network (10.1.0.0/16) and its subnet (the first free /24) when missing, then
 * the private endpoint, and prints the two values `privateEndpoints azure interfaces create`
 * takes: `{"id":…,"privateEndpointIPAddress":…}` (JSON in a pipe and with `-o json`), or a
 * sentence on a terminal.
 */
const VNET_PREFIX = '10.1.0.0/16';

export const createPrivateEndpointCommand = defineCommand({
  name: 'create-private-endpoint',
  summary: 'Create a private endpoint to a private link service (as `az network private-endpoint create` with --manual-request).',
  description:
    'Creates the resource group, virtual network and subnet when they are missing. Prints {"id": …, "privateEndpointIPAddress": …}: the two values `privlink privateEndpoints azure interfaces create` takes.',
  flags: [
    {
      syntax: '--private-link-service-id <id>',
      description: 'Resource id of the private link service (privateLinkServiceResourceId of `privlink privateEndpoints azure describe -o json`).',
      required: true,
    },
    { syntax: '--location <region>', description: 'Azure region of the resource group, the virtual network and the private endpoint, e.g. eastus2.', required: true },
    { syntax: '--resource-group <name>', description: 'Resource group.', defaultValue: 'rg-app' },
    { syntax: '--vnet <name>', description: 'Virtual network.', defaultValue: 'vnet-app' },
    { syntax: '--subnet <name>', description: 'Subnet of the virtual network for the endpoint.', defaultValue: 'default' },
    { syntax: '--name <name>', description: 'Name of the private endpoint (and of its connection).', defaultValue: 'pe-atlas' },
    ...ARM_FLAGS,
    { syntax: '-o, --output <format>', description: 'Output format: json (default in a pipe) or text (default on a terminal).' },
  ],
  examples: [
    '# Connect to the private link service of an Azure private endpoint service shown by `privlink privateEndpoints azure describe <id> -o json`:\nprivlink localcloud azure create-private-endpoint --data-dir ./.privlink --location eastus2 \\\n  --private-link-service-id /subscriptions/…/resourceGroups/rg_…/providers/Microsoft.Network/privateLinkServices/pls_…',
  ],
  async run(ctx) {
    const output = outputChoice(ctx, 'json');
    const { network, resources, target } = await armClients(ctx);
    const location = ctx.flag('location')!;
    const group = ctx.flag('resourceGroup')!;
    const name = ctx.flag('name')!;
    const result = await callArm(target, async () => {
      if (!(await resources.resourceGroups.checkExistence(group)).body) await resources.resourceGroups.createOrUpdate(group, { location });
      const subnet = await ensureSubnet(network, group, ctx.flag('vnet')!, ctx.flag('subnet')!, location);
      const endpoint = await network.privateEndpoints.beginCreateOrUpdateAndWait(group, name, {
        location,
        subnet: { id: subnet.id! },
        manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: ctx.flag('privateLinkServiceId')!, requestMessage: 'Please approve my connection.' }],
      });
      return { id: endpoint.id!, privateEndpointIPAddress: await privateEndpointAddress(network, endpoint.networkInterfaces) };
    });
    if (!result.privateEndpointIPAddress) throw new CliError(`private endpoint ${result.id} has no IP address on its network interface`);
    ctx.out(
      output === 'json'
        ? `${JSON.stringify(result)}\n`
        : `Private endpoint '${result.id}' created with IP address ${result.privateEndpointIPAddress}.\nRegister it: privlink privateEndpoints azure interfaces create <endpointServiceId> --privateEndpointId ${result.id} --privateEndpointIpAddress ${result.privateEndpointIPAddress}\n`,
    );
  },
});

/** The subnet, made (with its virtual network when that is missing too) when it does not exist. */
async function ensureSubnet(network: NetworkManagementClient, group: string, vnetName: string, subnetName: string, location: string): Promise<Subnet> {
  const vnet = await getOrUndefined(() => network.virtualNetworks.get(group, vnetName));
  if (!vnet) {
    const made = await network.virtualNetworks.beginCreateOrUpdateAndWait(group, vnetName, {
      location,
      addressSpace: { addressPrefixes: [VNET_PREFIX] },
      subnets: [{ name: subnetName, addressPrefix: '10.1.0.0/24', privateEndpointNetworkPolicies: 'Disabled' }],
    });
    return made.subnets!.find((s) => s.name === subnetName)!;
  }
  const existing = vnet.subnets?.find((s) => s.name?.toLowerCase() === subnetName.toLowerCase());
  if (existing) return existing;
  const prefix = freeSubnetPrefix(vnet);
  if (!prefix) throw new CliError(`virtual network ${vnetName} has no free /24 for subnet ${subnetName}; make the subnet first`);
  return network.subnets.beginCreateOrUpdateAndWait(group, vnetName, subnetName, { addressPrefix: prefix, privateEndpointNetworkPolicies: 'Disabled' });
}

async function getOrUndefined<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** The first /24 of the virtual network's address space that no subnet overlaps. */
export function freeSubnetPrefix(vnet: VirtualNetwork): string | undefined {
  const used = (vnet.subnets ?? []).flatMap((s) => [s.addressPrefix, ...(s.addressPrefixes ?? [])]).flatMap((p) => (p ? [cidrRange(p)] : []));
  for (const space of vnet.addressSpace?.addressPrefixes ?? []) {
    const { first, last } = cidrRange(space);
    for (let start = first - (first % 256); start + 255 <= last; start += 256) {
      if (start < first) continue;
      if (!used.some((u) => u.first <= start + 255 && start <= u.last)) return `${ipv4(start)}/24`;
    }
  }
  return undefined;
}

function cidrRange(cidr: string): { first: number; last: number } {
  const [address, bits] = cidr.split('/');
  const value = address!.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits ?? 32));
  const first = value - (value % size);
  return { first, last: first + size - 1 };
}

function ipv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
