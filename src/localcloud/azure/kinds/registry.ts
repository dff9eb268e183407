import type { ResourceKind } from './kind.js';
import { loadBalancersKind } from './load-balancers.kind.js';
import { networkSecurityGroupsKind } from './network-security-groups.kind.js';
import { privateEndpointConnectionsKind } from './private-endpoint-connections.kind.js';
import { networkInterfacesKind, privateEndpointsKind } from './private-endpoints.kind.js';
import { privateLinkServicesKind } from './private-link-services.kind.js';
import { subnetsKind } from './subnets.kind.js';
import { virtualNetworksKind } from './virtual-networks.kind.js';

/** Every Microsoft.Network resource type the emulator serves, by lower-cased type path (`virtualnetworks/subnets`). */
export const KINDS: ReadonlyMap<string, ResourceKind> = new Map([
  ['virtualnetworks', virtualNetworksKind],
  ['virtualnetworks/subnets', subnetsKind],
  ['networksecuritygroups', networkSecurityGroupsKind],
  ['loadbalancers', loadBalancersKind],
  ['privatelinkservices', privateLinkServicesKind],
  ['privatelinkservices/privateendpointconnections', privateEndpointConnectionsKind],
  ['privateendpoints', privateEndpointsKind],
  ['networkinterfaces', networkInterfacesKind],
]);

/** The kind of a stored row by its full type. */
export function kindOfType(type: string): ResourceKind | undefined {
  for (const kind of KINDS.values()) if (kind.type === type) return kind;
  return undefined;
}
