import { createHash } from 'node:crypto';
import { addressableTargets, isSharedTier, type ClusterSpec } from './cluster.js';
import { replicaSetName } from './private-endpoint-topology.js';
import type { CloudProvider } from './regions.js';

/**
 * How a cluster is reached over the public path (pure): the hostnames, SRV/TXT records and the
 * `connectionStrings.standard` / `standardSrv` Atlas publishes for clients that connect "using
 * other methods, such as public IP whitelisting", with `<domain>` in place of `mongodb.net`.
 *
 * - SRV `_mongodb._tcp.<cluster>.<hostSuffix>.<domain>`: one target per node (replica set) or
 *   mongos (sharded cluster), `<cluster>-shard-00-<nn>.<hostSuffix>.<domain>` (Atlas's names).
 * - TXT `<cluster>.<hostSuffix>.<domain>`: `authSource=admin&replicaSet=<rs>` (sharded:
 *   `authSource=admin`), the same keys as the private-endpoint strings.
 * - The hosts of one region share one public gateway address (see `publicGatewayAddresses`) and
 *   are told apart by the port the cluster's target has (port-per-node, like the private path).
 * Shared tiers and clusters without allocated ports have none. Serverless instances have a public
 * topology of the same shape (domain/serverless-topology.ts, `serverlessPublicTopology`).
 */
export interface PublicTopologyInput {
  readonly projectId: string;
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  readonly hostSuffix: string;
  readonly domain: string;
  /** Allocated ports of the cluster's targets (by target name). */
  readonly ports: ReadonlyMap<string, number>;
}

export interface PublicHost {
  readonly host: string;
  readonly port: number;
  /** The simulated node behind the host: a cluster's target, or a serverless instance's front end. */
  readonly targetName: string;
  readonly provider: CloudProvider;
  readonly regionName: string;
  /** Whose public gateway address the host resolves to (`publicGatewayAddresses`). */
  readonly gateway: PublicRegionKey;
}

export interface PublicTopology {
  readonly type: 'MONGOD' | 'MONGOS';
  /** SRV name without the `_mongodb._tcp.` prefix. */
  readonly srvName: string;
  readonly txt: string;
  readonly hosts: readonly PublicHost[];
  readonly standard: string;
  readonly standardSrv: string;
}

export function publicTopology(input: PublicTopologyInput): PublicTopology | undefined {
  const { spec } = input;
  if (isSharedTier(spec)) return undefined;
  const targets = addressableTargets(spec).filter((t) => t.kind !== 'biConnector' && input.ports.has(t.name));
  if (targets.length === 0) return undefined;
  const type = spec.clusterType === 'REPLICASET' ? 'MONGOD' : 'MONGOS';
  const cluster = spec.name.toLowerCase();
  const zone = `${input.hostSuffix}.${input.domain}`;
  const txt = type === 'MONGOD' ? `authSource=admin&replicaSet=${replicaSetName(input.clusterId)}` : 'authSource=admin';
  const hosts = targets.map((target, index) => ({
    host: `${cluster}-shard-00-${String(index).padStart(2, '0')}.${zone}`,
    port: input.ports.get(target.name)!,
    targetName: target.name,
    provider: target.provider,
    regionName: target.regionName,
    gateway: { projectId: input.projectId, provider: target.provider, regionName: target.regionName },
  }));
  const srvName = `${cluster}.${zone}`;
  return {
    type,
    srvName,
    txt,
    hosts,
    standard: `mongodb://${hosts.map((h) => `${h.host}:${h.port}`).join(',')}/?ssl=true&${txt}`,
    standardSrv: `mongodb+srv://${srvName}`,
  };
}

/**
 * One region of one project that has public hosts: its hosts share one gateway address. A
 * serverless instance has an address of its own (`serverlessGatewayKey`): its front end listens
 * on 27017, as Atlas's serverless load balancers do, so two instances cannot share one.
 */
export interface PublicRegionKey {
  readonly projectId: string;
  readonly provider: string;
  readonly regionName: string;
}

/** The gateway key of a serverless instance: provider `SERVERLESS` (Atlas's `providerName` for them), region its id. */
export function serverlessGatewayKey(projectId: string, instanceId: string): PublicRegionKey {
  return { projectId, provider: 'SERVERLESS', regionName: instanceId };
}

/** The key `publicGatewayAddresses` answers under. */
export function publicRegionKey(key: PublicRegionKey): string {
  return `${key.projectId}|${key.provider}|${key.regionName}`;
}

/**
 * The public gateway's address of every (project, provider, region): `127.<loopbackBase>.x.y`,
 * the loopback block that belongs to no emulated network (common/loopback.ts), so a public
 * address never equals a private endpoint's. x.y starts at a hash of the key and moves to the next
 * free value on a collision, keys taken in (project id, provider, region) order: a project's
 * addresses do not move when a younger project is added. `.0.0`, `.0.1` and `.255.255` are skipped.
 * Pure. Throws RangeError when there are more keys than addresses.
 */
export function publicGatewayAddresses(keys: readonly PublicRegionKey[], loopbackBase: number): Map<string, string> {
  return addressesInOrder([...new Set(keys.map(publicRegionKey))].sort(), loopbackBase);
}

/** Where a key's address starts looking (x.y as one number): a hash of the key. */
export function gatewaySlot(key: string): number {
  return createHash('sha1').update(key).digest().readUInt16BE(0);
}

/**
 * `publicGatewayAddresses` of keys already distinct and sorted (`publicRegionKey` strings), each
 * key's first slot from `slotOf` (`gatewaySlot`, or a cache of it). Pure.
 */
export function addressesInOrder(ordered: readonly string[], loopbackBase: number, slotOf: (key: string) => number = gatewaySlot): Map<string, string> {
  const size = 65_536;
  if (ordered.length > size - 3) throw new RangeError('too many public regions for one loopback block');
  const taken = new Set<number>([0, 1, size - 1]);
  const out = new Map<string, string>();
  for (const key of ordered) {
    let slot = slotOf(key);
    while (taken.has(slot)) slot = (slot + 1) % size;
    taken.add(slot);
    out.set(key, `127.${loopbackBase}.${slot >>> 8}.${slot & 255}`);
  }
  return out;
}
