import type { Repositories } from '../store/repositories.js';
import { clusterTopology } from './connection-strings.js';
import { recordEvent } from './events.js';

/** The private-endpoint SRV strings of every cluster of a project (cluster id → strings). */
export async function projectStrings(repos: Repositories, projectId: string, domain: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const cluster of await repos.clusters.listByProject(projectId)) {
    out.set(
      cluster.id,
      (await clusterTopology(repos, cluster, domain)).map((e) => e.srvConnectionString),
    );
  }
  return out;
}

/**
 * Records PRIVATE_ENDPOINT_CONNECTION_STRINGS_PUBLISHED / _WITHDRAWN for every cluster whose
 * private-endpoint strings differ from `before` (call inside the transaction that made the change).
 */
export async function recordStringChanges(repos: Repositories, projectId: string, before: Map<string, string[]>, domain: string, now: Date): Promise<void> {
  const project = await repos.identity.findProject(projectId);
  if (!project) return;
  const after = await projectStrings(repos, projectId, domain);
  for (const clusterId of new Set([...before.keys(), ...after.keys()])) {
    const was = new Set(before.get(clusterId) ?? []);
    const now_ = new Set(after.get(clusterId) ?? []);
    const published = [...now_].filter((s) => !was.has(s));
    const withdrawn = [...was].filter((s) => !now_.has(s));
    if (published.length > 0) {
      await recordEvent(
        repos,
        { orgId: project.orgId, projectId, type: 'PRIVATE_ENDPOINT_CONNECTION_STRINGS_PUBLISHED', targetId: clusterId, payload: { srvConnectionStrings: published } },
        now,
      );
    }
    if (withdrawn.length > 0) {
      await recordEvent(
        repos,
        { orgId: project.orgId, projectId, type: 'PRIVATE_ENDPOINT_CONNECTION_STRINGS_WITHDRAWN', targetId: clusterId, payload: { srvConnectionStrings: withdrawn } },
        now,
      );
    }
  }
}
