import { addressesKind } from './addresses.kind.js';
import { backendServicesKind } from './backend-services.kind.js';
import { firewallsKind } from './firewalls.kind.js';
import { forwardingRulesKind } from './forwarding-rules.kind.js';
import type { ResourceKind } from './kind.js';
import { networkEndpointGroupsKind } from './network-endpoint-groups.kind.js';
import { networksKind } from './networks.kind.js';
import { serviceAttachmentsKind } from './service-attachments.kind.js';
import { subnetworksKind } from './subnetworks.kind.js';

/** Every emulated collection, by URL collection name. */
export const KINDS: ReadonlyMap<string, ResourceKind> = new Map(
  [networksKind, subnetworksKind, firewallsKind, addressesKind, networkEndpointGroupsKind, backendServicesKind, forwardingRulesKind, serviceAttachmentsKind].map((k) => [
    k.collection,
    k,
  ]),
);

/** The kind of a collection in a scope (`global`, `regions/…`, `zones/…`), or undefined. */
export function kindFor(scope: string, collection: string): ResourceKind | undefined {
  const kind = KINDS.get(collection);
  if (!kind) return undefined;
  const scopeType = scope === 'global' ? 'global' : scope.startsWith('regions/') ? 'regional' : 'zonal';
  return kind.scopeType === scopeType ? kind : undefined;
}
