import type { CloudName } from './cloud-name.js';
import { groupedBy } from './named-rows.js';
import { asArray, type PictureList } from './picture-list.js';

export type { CloudName } from './cloud-name.js';
export type { PictureList } from './picture-list.js';

/**
 * The read model the data plane builds its listeners from, the same for every emulated cloud:
 * networks (AWS VPC, Azure VNet, GCP VPC network) with their loopback octets, security rule
 * sets, load balancers with port → targets, services customers connect to (AWS endpoint service,
 * Azure private link service, GCP service attachment) and endpoints on the customer side (AWS VPC
 * endpoint, Azure private endpoint, GCP PSC forwarding rule) with their network interfaces. Taken
 * at one instant (the emulator's lazy transitions advanced to it). Plain data but for its lists,
 * which may be `ChunkedList`s (picture-list.ts): `postableSnapshot` makes it one to post to the
 * data-plane worker.
 *
 * Addresses: a network's private IP `a.b.x.y` is reached on `127.<loopbackOctet>.x.y`. Each
 * emulator takes its octets from its own range (common/loopback.ts `loopbackRanges`: AWS
 * `loopbackBase + 1 … 255`, Azure and GCP below `loopbackBase`), so snapshots of several
 * emulators merge without collisions. Ids are unique across clouds by their formats.
 */
export interface DataPlaneSnapshot {
  readonly takenAt: Date;
  /**
   * The earliest time a pending transition (e.g. `pending` → `available`) becomes due, or null.
   * Lazy transitions fire no event: take a new snapshot then.
   */
  readonly nextTransitionAt: Date | null;
  readonly networks: PictureList<SnapshotNetwork>;
  readonly securityGroups: PictureList<SnapshotSecurityGroup>;
  readonly loadBalancers: PictureList<SnapshotLoadBalancer>;
  readonly services: PictureList<SnapshotService>;
  readonly endpoints: PictureList<SnapshotEndpoint>;
  /**
   * Routed paths between networks (AWS VPC peering with routes on both sides, an on-premises
   * network's Direct-Connect-like link). Absent or empty: no network reaches another.
   */
  readonly reach?: PictureList<SnapshotReach>;
}

/**
 * One routed path: hosts of `fromNetworkId` whose addresses are in `fromCidr` can open
 * connections to addresses of `toNetworkId` in `toCidr`, and the answers route back. The emulator
 * lists a path only while it carries traffic (AWS: the peering connection is `active`, the
 * source VPC's route table sends `toCidr` to it and the destination's sends `fromCidr` back).
 * Reach is not transitive: a path A → B and a path B → C do not make A → C.
 */
export interface SnapshotReach {
  readonly fromNetworkId: string;
  readonly fromCidr: string;
  readonly toNetworkId: string;
  readonly toCidr: string;
  /** What carries it, for logs: AWS `pcx-…`, `vgw-…`. */
  readonly via: string;
}

/**
 * Where a data plane gets snapshots from: one emulator, several merged (merged-snapshot-source.ts),
 * or snapshots posted to another thread.
 */
export interface SnapshotSource {
  /** The state now. Rejects when the emulator cannot read its store. */
  snapshot(): Promise<DataPlaneSnapshot>;
  /** Calls `listener` after a change that may affect the snapshot; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** A picture's collections. */
export const SNAPSHOT_COLLECTIONS = ['networks', 'securityGroups', 'loadBalancers', 'services', 'endpoints', 'reach'] as const;
export type SnapshotCollection = (typeof SNAPSHOT_COLLECTIONS)[number];
/** An entity of collection `C`. */
export type SnapshotEntity<C extends SnapshotCollection> = NonNullable<DataPlaneSnapshot[C]> extends PictureList<infer T> ? T : never;

/** The key of an entity within its collection: its ids, unique across clouds by their formats (a repeat is possible only within a broken picture). */
export const SNAPSHOT_KEYS: { readonly [C in SnapshotCollection]: (entity: SnapshotEntity<C>) => string } = {
  // GCP lists one entry per subnetwork under one network id: the block tells them apart.
  networks: (n) => `${n.networkId} ${n.cidrBlock}`,
  securityGroups: (g) => g.groupId,
  loadBalancers: (lb) => lb.loadBalancerId,
  services: (s) => s.serviceId,
  endpoints: (e) => e.endpointId,
  reach: (r) => `${r.fromNetworkId} ${r.fromCidr} ${r.toNetworkId} ${r.toCidr} ${r.via}`,
};

/** The snapshot with plain arrays for lists, as another thread can be posted it (a structured clone keeps no class). */
export function postableSnapshot(snapshot: DataPlaneSnapshot): DataPlaneSnapshot {
  return {
    ...snapshot,
    networks: asArray(snapshot.networks),
    securityGroups: asArray(snapshot.securityGroups),
    loadBalancers: asArray(snapshot.loadBalancers),
    services: asArray(snapshot.services),
    endpoints: asArray(snapshot.endpoints),
    ...(snapshot.reach ? { reach: asArray(snapshot.reach) } : {}),
  };
}

/**
 * The addresses of an endpoint's network interfaces while it forwards (for private DNS A records);
 * else empty. Ids compare case-insensitively (ARM ids are; AWS and GCP ids are lower-case).
 */
export function forwardingAddresses(snapshot: DataPlaneSnapshot | undefined, endpointId: string): string[] {
  const endpoint = forwarding(snapshot, endpointId);
  return endpoint ? endpoint.networkInterfaces.map((eni) => eni.loopbackAddress) : [];
}

/** Whether the snapshot has this endpoint and it forwards (ids compare case-insensitively). */
export function forwardingEndpoint(snapshot: DataPlaneSnapshot | undefined, endpointId: string): boolean {
  return forwarding(snapshot, endpointId) !== undefined;
}

const byLowerCaseId = (endpoint: SnapshotEndpoint) => endpoint.endpointId.toLowerCase();

/** The first endpoint with this id (any case) that forwards. */
function forwarding(snapshot: DataPlaneSnapshot | undefined, endpointId: string): SnapshotEndpoint | undefined {
  return (
    snapshot &&
    indexedBy(snapshot.endpoints, byLowerCaseId)
      .get(endpointId.toLowerCase())
      ?.find((e) => e.forwarding)
  );
}

const indexes = new WeakMap<PictureList<unknown>, Map<unknown, Map<string, readonly unknown[]>>>();

/**
 * The entities of `list` by `keyOf`, those with one key in the list's order. Made on the first
 * call for a list and key and kept beside it (a snapshot's lists never change), so a lookup per
 * connection or per DNS question does not walk a large picture; give `keyOf` as one function
 * made once, as its identity is what the index is kept under. A list noted as an edit of lists
 * that have such an index takes that index over (the older list makes its own again if asked) and
 * brings it up to date with the edits: a change costs the index what it changed, not a walk.
 */
export function indexedBy<T>(list: PictureList<T>, keyOf: (item: T) => string): ReadonlyMap<string, readonly T[]> {
  let byKey = indexes.get(list);
  if (!byKey) indexes.set(list, (byKey = new Map()));
  let index = byKey.get(keyOf) as Map<string, readonly T[]> | undefined;
  if (!index) {
    index = carriedOver(list, keyOf) ?? groupedBy(list, keyOf);
    byKey.set(keyOf, index);
  }
  return index;
}

/**
 * The index of the nearest earlier list (within 64 edits) that has one for `keyOf`, taken from it
 * and brought up to `list` by the edits between; undefined when there is none, or when an edit
 * cannot be applied in order (an entity that changed its key, an edit that does not say what it
 * replaced).
 */
function carriedOver<T>(list: PictureList<T>, keyOf: (item: T) => string): Map<string, readonly T[]> | undefined {
  const edits: ListEdit[] = [];
  let at: PictureList<unknown> | undefined = list;
  let found: Map<string, readonly T[]> | undefined;
  while (edits.length < 64) {
    const edit: ListEdit | undefined = listEdits.get(at);
    if (!edit?.replaced) return undefined;
    edits.push(edit);
    at = edit.from.deref();
    if (!at) return undefined;
    found = indexes.get(at)?.get(keyOf) as Map<string, readonly T[]> | undefined;
    if (found) break;
  }
  if (!found) return undefined;
  for (const edit of edits) {
    const replaced = edit.replaced as readonly T[];
    const changed = edit.changed as readonly T[];
    if (replaced.length !== changed.length) return undefined;
    for (let i = 0; i < changed.length; i++) if (keyOf(replaced[i]!) !== keyOf(changed[i]!)) return undefined;
  }
  indexes.get(at!)!.delete(keyOf);
  const index = found;
  edits.reverse();
  for (const edit of edits) {
    for (const entity of (edit.removed ?? []) as readonly T[]) {
      const key = keyOf(entity);
      const rest = (index.get(key) ?? []).filter((e) => e !== entity);
      if (rest.length > 0) index.set(key, rest);
      else index.delete(key);
    }
    const replaced = edit.replaced as readonly T[];
    (edit.changed as readonly T[]).forEach((entity, i) => {
      const key = keyOf(entity);
      index.set(
        key,
        (index.get(key) ?? []).map((e) => (e === replaced[i] ? entity : e)),
      );
    });
    for (const entity of edit.added as readonly T[]) {
      const key = keyOf(entity);
      index.set(key, [...(index.get(key) ?? []), entity]);
    }
  }
  return index;
}

/** A customer's or provider's private network. */
export interface SnapshotNetwork {
  readonly cloud: CloudName;
  /** AWS `vpc-…`; Azure VNet resource id; GCP network path `projects/<p>/global/networks/<name>` (one entry per subnetwork, which has the address range: several entries share it). */
  readonly networkId: string;
  /** AWS account id, Azure subscription id, GCP project id. */
  readonly accountId: string;
  readonly region: string;
  /** The block loopback maps (at most /16): `127.<loopbackOctet>.x.y` is the address of this block whose low 16 bits are `x.y`. */
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  /** The second octet of the network's loopback /16 (see the contract above). */
  readonly loopbackOctet: number;
  /** `on-premises`: a customer's data centre attached to a network (no endpoints of its own); absent for cloud networks. */
  readonly kind?: 'on-premises';
}

/** A network interface (of an endpoint or a load balancer) and where it lives on loopback. */
export interface SnapshotNetworkInterface {
  readonly networkInterfaceId: string;
  readonly networkId: string;
  readonly subnetId: string;
  /** Null where the cloud has no zones for it (Azure, GCP regional addresses). */
  readonly availabilityZone: string | null;
  readonly privateIp: string;
  readonly loopbackAddress: string;
}

export interface SnapshotSecurityRule {
  /** `-1` (all), `tcp`, `udp` or `icmp`. */
  readonly ipProtocol: string;
  /** Null when the rule covers all ports. */
  readonly fromPort: number | null;
  readonly toPort: number | null;
  /** Exactly one of cidrIpv4 and referencedGroupId is set. */
  readonly cidrIpv4: string | null;
  readonly referencedGroupId: string | null;
}

/**
 * A set of allow rules (AWS security group; an emulator renders other clouds' rule sets as allow
 * lists): traffic is admitted when any rule of any set that applies matches; nothing else is.
 */
export interface SnapshotSecurityGroup {
  readonly cloud: CloudName;
  readonly groupId: string;
  readonly groupName: string;
  readonly networkId: string;
  readonly accountId: string;
  readonly region: string;
  readonly ingress: readonly SnapshotSecurityRule[];
  readonly egress: readonly SnapshotSecurityRule[];
}

export interface SnapshotTarget {
  /** The registered IP (ip targets) or instance id. */
  readonly id: string;
  readonly port: number;
  readonly availabilityZone: string | null;
  /** Loopback address of an IP target inside the load balancer's network; null for others (dialled as `id`). */
  readonly loopbackAddress: string | null;
}

/** One port a load balancer serves (AWS listener → target group; Azure rule → backend pool; GCP backend service). */
export interface SnapshotPort {
  /** Unique across the snapshot (AWS listener ARN); connections to it are spread over its targets round robin. */
  readonly id: string;
  readonly port: number;
  readonly protocol: string;
  /** Send a PROXY v2 header (with the endpoint's TLV) to the targets (AWS target group `proxy_protocol_v2.enabled`). */
  readonly proxyProtocol: boolean;
  readonly targets: readonly SnapshotTarget[];
}

export interface SnapshotLoadBalancer {
  readonly cloud: CloudName;
  /** AWS load balancer ARN; Azure load balancer resource id; GCP internal forwarding rule path. */
  readonly loadBalancerId: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly networkId: string;
  /** Only active load balancers carry traffic. */
  readonly active: boolean;
  readonly dnsName: string | null;
  readonly securityGroupIds: readonly string[];
  /** One per subnet/zone. */
  readonly networkInterfaces: readonly SnapshotNetworkInterface[];
  readonly ports: readonly SnapshotPort[];
}

/** What customers connect to: AWS endpoint service, Azure private link service, GCP service attachment. */
export interface SnapshotService {
  readonly cloud: CloudName;
  readonly serviceId: string;
  /** What a customer names to connect (AWS `com.amazonaws.vpce.…`, Azure alias or resource id, GCP attachment path `projects/<p>/regions/<r>/serviceAttachments/<name>`). */
  readonly serviceName: string;
  readonly accountId: string;
  readonly region: string;
  /** The cloud's own state word (AWS `Available`, …), for display. */
  readonly state: string;
  readonly acceptanceRequired: boolean;
  readonly loadBalancerIds: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly allowedPrincipals: readonly string[];
  /** The service asks for a PROXY v2 header on every port (Azure and GCP `enableProxyProtocol`); AWS asks per port instead. */
  readonly proxyProtocol: boolean;
}

/**
 * The PROXY v2 TLV an endpoint's connections carry when the port or service asks for a header:
 * AWS type 0xEA subtype 0x01 with the VPC endpoint id; Azure type 0xEE subtype 0x01 with the
 * private endpoint connection's 4-byte LinkID; GCP type 0xE0 with the 8-byte PSC connection id
 * (decimal text here, as the Compute API shows it).
 */
export type SnapshotProxyTlv =
  | { readonly kind: 'aws-vpce-id'; readonly vpceId: string }
  | { readonly kind: 'azure-link-id'; readonly linkId: number }
  | { readonly kind: 'gcp-psc-connection-id'; readonly pscConnectionId: string };

/** The customer side: AWS VPC endpoint, Azure private endpoint, GCP PSC forwarding rule. */
export interface SnapshotEndpoint {
  readonly cloud: CloudName;
  /** AWS `vpce-…`; Azure private endpoint resource id; GCP PSC forwarding rule path `projects/<p>/regions/<r>/forwardingRules/<name>`. */
  readonly endpointId: string;
  readonly accountId: string;
  readonly region: string;
  readonly networkId: string;
  readonly serviceId: string;
  readonly serviceName: string;
  /** The connection state in the cloud's own words (AWS pendingAcceptance, pending, available, rejected, …). */
  readonly state: string;
  /** True when traffic may flow: the connection is accepted/available and its service still exists. */
  readonly forwarding: boolean;
  /** The rule sets that apply to traffic into the endpoint's interfaces. */
  readonly securityGroupIds: readonly string[];
  /** One per subnet; the data plane listens on their loopback addresses. */
  readonly networkInterfaces: readonly SnapshotNetworkInterface[];
  /** The endpoint's own DNS names (AWS: regional name first, then one per AZ). */
  readonly dnsNames: readonly string[];
  readonly proxyTlv: SnapshotProxyTlv;
}

/**
 * How a source made one collection's list from its previous list, when it can say so: the
 * previous list without the entities `removed`, with the entities `changed` in place of those with
 * the same keys, then `added` after the rest, nothing moved. A reader that saw `from` last (and so
 * still holds it: the differ, the gateway) then needs to look at those entities only. Kept beside
 * the list, not in it, so a snapshot stays plain data. `from` is held weakly: each list's edit
 * names the list before it, whose edit names the one before that, and held strongly that chain
 * would keep every list ever made.
 */
export interface ListEdit {
  readonly from: WeakRef<PictureList<unknown>>;
  readonly changed: readonly unknown[];
  /** The entities of `from` that `changed` took the places of, in the same order (when the source says). */
  readonly replaced?: readonly unknown[];
  readonly added: readonly unknown[];
  /** Entities of `from` that are not in the list (none when absent). */
  readonly removed?: readonly unknown[];
}

const listEdits = new WeakMap<PictureList<unknown>, ListEdit>();

/** Notes how `list` was made (see ListEdit). The list must not change afterwards. */
export function noteListEdit(list: PictureList<unknown>, edit: ListEdit): void {
  listEdits.set(list, edit);
}

/** How `list` was made from an earlier list, if its source noted it. */
export function listEditOf(list: PictureList<unknown>): ListEdit | undefined {
  return listEdits.get(list);
}

/**
 * The edits that made `list` from `seen`, oldest first, following each list's edit to the one
 * before it (at most `maxSteps`): `[]` when it is the very list, undefined when the chain does not
 * lead there (a list rebuilt whole, or an earlier list already collected).
 */
export function listEditsSince(list: PictureList<unknown>, seen: PictureList<unknown> | undefined, maxSteps = 16): ListEdit[] | undefined {
  if (seen === undefined) return undefined;
  const edits: ListEdit[] = [];
  let at: PictureList<unknown> | undefined = list;
  while (at !== seen) {
    const edit: ListEdit | undefined = at && listEdits.get(at);
    if (!edit || edits.length === maxSteps) return undefined;
    edits.push(edit);
    at = edit.from.deref();
  }
  return edits.reverse();
}
