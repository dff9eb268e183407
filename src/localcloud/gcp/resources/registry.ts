import { addressesKind } from './addresses.kind.js';
import { backendServicesKind } from './backend-services.kind.js';
import { firewallsKind } from './firewalls.kind.js';
import { forwardingRulesKind } from './forwarding-rules.kind.js';
import type { ResourceKind } from './kind.js';
import { networkEndpointGroupsKind, regionNetworkEndpointGroupsKind } from './network-endpoint-groups.kind.js';
import { networksKind } from './networks.kind.js';
import { serviceAttachmentsKind } from './service-attachments.kind.js';
import { subnetworksKind } from './subnetworks.kind.js';

/** Every emulated collection, one kind per URL collection and scope type (zonal and regional network endpoint groups share a collection name). */
export const KINDS: readonly ResourceKind[] = [
  networksKind,
  subnetworksKind,
  firewallsKind,
  addressesKind,
  networkEndpointGroupsKind,
  regionNetworkEndpointGroupsKind,
  backendServicesKind,
  forwardingRulesKind,
  serviceAttachmentsKind,
];

/** The kind of a collection in a scope (`global`, `regions/…`, `zones/…`), or undefined. */
export function kindFor(scope: string, collection: string): ResourceKind | undefined {
  const scopeType = scope === 'global' ? 'global' : scope.startsWith('regions/') ? 'regional' : 'zonal';
  return KINDS.find((k) => k.collection === collection && k.scopeType === scopeType);
}
