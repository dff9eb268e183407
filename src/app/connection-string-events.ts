import type { Project } from '../domain/identity.js';
import type { Repositories } from '../store/repositories.js';
import { publishedEndpoints, topologyIn } from './connection-strings.js';
import { recordEvent } from './events.js';

/** The private-endpoint SRV strings of every cluster of a project (cluster id → strings). */
export async function projectStrings(repos: Repositories, projectId: string, domain: string): Promise<Map<string, string[]>> {
  const project = await repos.identity.findProject(projectId);
  return project ? stringsOf(repos, project, domain) : new Map();
}

/** The same for a project already read in this transaction: its endpoints are read once for all its clusters. */
export async function stringsOf(repos: Repositories, project: Project, domain: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const clusters = await repos.clusters.listByProject(project.id);
  if (clusters.length === 0) return out;
  const endpoints = await publishedEndpoints(repos, project.id);
  for (const cluster of clusters) {
    out.set(
      cluster.id,
      (await topologyIn(repos, project, cluster, endpoints, domain)).map((e) => e.srvConnectionString),
    );
  }
  return out;
}

/**
 * Records PRIVATE_ENDPOINT_CONNECTION_STRINGS_PUBLISHED / _WITHDRAWN for every cluster whose
 * private-endpoint strings differ from `before` (call inside the transaction that made the change).
 * Returns the project as it now reads (undefined once deleted), for the caller's own events.
 */
export async function recordStringChanges(repos: Repositories, projectId: string, before: Map<string, string[]>, domain: string, now: Date): Promise<Project | undefined> {
  const project = await repos.identity.findProject(projectId);
  if (!project) return undefined;
  const after = await stringsOf(repos, project, domain);
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
  return project;
}
