import { addressableTargets, type ClusterSpec } from '../domain/cluster.js';
import { allocatePorts } from '../domain/port-allocation.js';
import type { PortAllocation } from '../store/ports.repository.js';
import type { Repositories } from '../store/repositories.js';

/** Name of the extra target a sharded cluster gets per region for its load-balanced (`-lb`) string. */
export function mongosLbTargetName(regionName: string): string {
  return `mongos-lb-${regionName}`;
}

/**
 * Brings a cluster's port allocations in line with its addressable targets, inside the caller's
 * transaction (which holds the project row lock, so two clusters never take the same port):
 * targets that went away free their ports, new targets get the lowest free ports of their
 * region. Sharded clusters also get one port per region for the load-balanced mongos string.
 * Shared tiers get none.
 */
export async function syncPortAllocations(repos: Repositories, projectId: string, clusterId: string, spec: ClusterSpec): Promise<PortAllocation[]> {
  const wanted = addressableTargets(spec).map((t) => ({ provider: t.provider, regionName: t.regionName, targetName: t.name }));
  if (spec.clusterType !== 'REPLICASET') {
    for (const region of new Set(wanted.filter((w) => w.targetName.startsWith('mongos-')).map((w) => `${w.provider}:${w.regionName}`))) {
      const [provider, regionName] = region.split(':') as [(typeof wanted)[number]['provider'], string];
      wanted.push({ provider, regionName, targetName: mongosLbTargetName(regionName) });
    }
  }
  const existing = await repos.ports.listCluster(clusterId);
  const keep = existing.filter((a) => wanted.some((w) => w.targetName === a.targetName && w.provider === a.provider && w.regionName === a.regionName));
  const drop = existing.filter((a) => !keep.includes(a)).map((a) => a.targetName);
  await repos.ports.release(clusterId, drop);
  const missing = wanted.filter((w) => !keep.some((a) => a.targetName === w.targetName));
  const byRegion = new Map<string, typeof missing>();
  for (const target of missing) {
    const key = `${target.provider}:${target.regionName}`;
    byRegion.set(key, [...(byRegion.get(key) ?? []), target]);
  }
  const added: PortAllocation[] = [];
  for (const targets of byRegion.values()) {
    const { provider, regionName } = targets[0]!;
    const inUse = new Set((await repos.ports.listRegion(projectId, provider, regionName)).map((a) => a.port));
    const ports = allocatePorts(inUse, targets.length);
    targets.forEach((target, i) => added.push({ projectId, provider, regionName, port: ports[i]!, clusterId, targetName: target.targetName }));
  }
  await repos.ports.insert(added);
  return [...keep, ...added].sort((a, b) => a.port - b.port);
}
