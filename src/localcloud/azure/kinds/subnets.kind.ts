import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from '../../common/ipv4.js';
import { ArmError, armErrors } from '../arm-error.js';
import { optRefId, optString, propertiesOf, stringList } from '../request-body.js';
import { resourceKey } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { renderRow, type ArmContext, type ResourceKind, type WriteTarget } from './kind.js';
import { resolveReference } from './references.js';

export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
export const PRIVATE_ENDPOINT_TYPE = 'Microsoft.Network/privateEndpoints';

const PE_POLICIES = ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled'];
const PLS_POLICIES = ['Disabled', 'Enabled'];

/** The virtual network's address space as parsed blocks. */
export function vnetPrefixes(vnet: ResourceRow | JsonObject): Cidr[] {
  const props = 'properties' in vnet && !('addressSpace' in vnet) ? (vnet as ResourceRow).properties : (vnet as JsonObject);
  const space = props.addressSpace as JsonObject | undefined;
  const list = Array.isArray(space?.addressPrefixes) ? space.addressPrefixes : [];
  return list.flatMap((p) => (typeof p === 'string' && parseCidr(p) ? [parseCidr(p)!] : []));
}

/**
 * Validates one subnet's body against its virtual network (address space and sibling subnets)
 * and returns the properties to store. Shared by the subnet PUT and a virtual network's inline
 * subnets. Errors: NetcfgInvalidSubnet (outside the address space), NetcfgSubnetRangesOverlap,
 * InvalidAddressPrefixFormat, InvalidParameter for a network policy value, and the NSG reference's.
 */
export async function subnetProperties(
  ctx: ArmContext,
  subnet: { id: string; name: string; body: JsonObject; path: string },
  vnet: { name: string; prefixes: Cidr[] },
  siblings: ReadonlyArray<{ name: string; prefix: string }>,
): Promise<JsonObject> {
  const props = propertiesOf(subnet.body, `${subnet.path}properties`);
  const prefixes =
    props.addressPrefix !== undefined
      ? [optString(props.addressPrefix, `${subnet.path}properties.addressPrefix`) ?? '']
      : stringList(props.addressPrefixes, `${subnet.path}properties.addressPrefixes`);
  if (prefixes.length === 0) throw new ArmError(400, 'InvalidRequestFormat', `Subnet ${subnet.name} has no address prefix.`);
  const prefix = prefixes[0]!;
  const cidr = parseCidr(prefix);
  if (!cidr) throw armErrors.invalidAddressPrefix(prefix, subnet.id);
  if (!vnet.prefixes.some((space) => cidrContains(space, cidr))) throw armErrors.invalidSubnet(subnet.name, vnet.name);
  for (const sibling of siblings) {
    const other = parseCidr(sibling.prefix);
    if (sibling.name.toLowerCase() !== subnet.name.toLowerCase() && other && cidrsOverlap(other, cidr)) throw armErrors.subnetsOverlap(subnet.name, sibling.name);
  }
  const peRaw = optString(props.privateEndpointNetworkPolicies, `${subnet.path}properties.privateEndpointNetworkPolicies`) ?? 'Disabled';
  const pe = PE_POLICIES.find((p) => p.toLowerCase() === peRaw.toLowerCase());
  if (!pe)
    throw armErrors.invalidParameter(`Value '${peRaw}' of privateEndpointNetworkPolicies is invalid: use one of ${PE_POLICIES.join(', ')}.`, 'privateEndpointNetworkPolicies');
  const plsRaw = optString(props.privateLinkServiceNetworkPolicies, `${subnet.path}properties.privateLinkServiceNetworkPolicies`) ?? 'Enabled';
  const pls = PLS_POLICIES.find((p) => p.toLowerCase() === plsRaw.toLowerCase());
  if (!pls)
    throw armErrors.invalidParameter(
      `Value '${plsRaw}' of privateLinkServiceNetworkPolicies is invalid: use one of ${PLS_POLICIES.join(', ')}.`,
      'privateLinkServiceNetworkPolicies',
    );
  const out: JsonObject = { addressPrefix: prefix, privateEndpointNetworkPolicies: pe, privateLinkServiceNetworkPolicies: pls };
  if (prefixes.length > 1) out.addressPrefixes = prefixes;
  const nsgId = optRefId(props.networkSecurityGroup, `${subnet.path}properties.networkSecurityGroup`);
  if (nsgId !== undefined) {
    const nsg = await resolveReference(
      ctx,
      { id: nsgId, path: `${subnet.path}properties.networkSecurityGroup.id`, by: subnet.id },
      { typePath: 'networksecuritygroups', label: 'networkSecurityGroups', joinAction: 'Microsoft.Network/networkSecurityGroups/join/action' },
    );
    out.networkSecurityGroup = { id: nsg.id };
  }
  return out;
}

/** Refuses to drop or renumber a subnet that holds addresses (InUseSubnetCannotBeDeleted). */
export async function assertSubnetFree(ctx: ArmContext, subnet: ResourceRow): Promise<void> {
  if ((await ctx.repos.resources.addressesInUse(subnet.key)) > 0) {
    const holders = [...new Set((await ctx.repos.resources.addressesOfSubnet(subnet.key)).map((a) => a.ownerKey))];
    throw armErrors.subnetInUse(subnet.id, holders.join(', '));
  }
}

/** Subnets: child resources of a virtual network (`virtualNetworks/{vnet}/subnets/{name}`). */
export const subnetsKind: ResourceKind = {
  type: SUBNET_TYPE,
  segment: 'subnets',
  parentType: VNET_TYPE,
  operations: { get: 'Subnets_Get', list: 'Subnets_List', put: 'Subnets_CreateOrUpdate', delete: 'Subnets_Delete' },
  writable: true,
  longRunning: true,
  provisioningDelay: (delays) => delays.networkProvisioning,
  async write(ctx: ArmContext, target: WriteTarget, body: JsonObject, existing: ResourceRow | undefined) {
    const vnet = target.parent!;
    const siblings = (await ctx.repos.resources.children(vnet.key, SUBNET_TYPE)).map((s) => ({ name: s.name, prefix: String(s.properties.addressPrefix ?? '') }));
    const props = await subnetProperties(ctx, { id: target.id, name: target.name, body, path: '' }, { name: vnet.name, prefixes: vnetPrefixes(vnet) }, siblings);
    if (existing && existing.properties.addressPrefix !== props.addressPrefix) await assertSubnetFree(ctx, existing);
    return props;
  },
  async properties(ctx: ArmContext, row: ResourceRow) {
    const endpoints = (await ctx.repos.resources.allOfType(PRIVATE_ENDPOINT_TYPE)).filter((pe) => {
      const subnet = pe.properties.subnet as JsonObject | undefined;
      return typeof subnet?.id === 'string' && resourceKey(subnet.id) === row.key;
    });
    const out: JsonObject = { ...row.properties };
    if (endpoints.length > 0) out.privateEndpoints = endpoints.map((pe) => ({ id: pe.id }));
    return out;
  },
  async beforeDelete(ctx: ArmContext, row: ResourceRow) {
    await assertSubnetFree(ctx, row);
  },
  async purge() {},
};

/** Renders a virtual network's subnets inline. */
export async function renderSubnets(ctx: ArmContext, vnet: ResourceRow): Promise<JsonObject[]> {
  const rows = await ctx.repos.resources.children(vnet.key, SUBNET_TYPE);
  return Promise.all(rows.map((row) => renderRow(ctx, subnetsKind, row)));
}
