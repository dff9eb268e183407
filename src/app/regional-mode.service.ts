import { isSharedTier } from '../domain/cluster.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { canDisableRegionalizedMode } from '../domain/private-endpoint-rules.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { projectStrings, recordStringChanges } from './connection-string-events.js';
import { recordEvent } from './events.js';

/** `GET …/privateEndpoint/regionalMode` → `{enabled}` (Project Read Only). */
export async function getRegionalMode(ctx: AppContext, principal: Principal, projectId: string): Promise<{ enabled: boolean }> {
  const project = await requireProject(reader(ctx), principal, projectId, 'read');
  return { enabled: project.regionalizedPrivateEndpoints };
}

/**
 * Turns regionalized private endpoints on or off (Project Owner). On: not while the project has
 * replica sets (they are not allowed in that mode). Off: not while several endpoints sit in several
 * regions, or several in one and others elsewhere (409).
 */
export async function setRegionalMode(ctx: AppContext, principal: Principal, projectId: string, body: unknown): Promise<{ enabled: boolean }> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  // The legacy go-client sends a bare JSON boolean; the spec an object.
  const enabled = typeof body === 'boolean' ? body : (body as Record<string, unknown> | null)?.enabled;
  if (enabled === undefined || enabled === null) throw apiError('MISSING_ATTRIBUTE', 'enabled');
  if (typeof enabled !== 'boolean') throw apiError('INVALID_ATTRIBUTE', 'enabled');
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    if (project.regionalizedPrivateEndpoints === enabled) return { enabled };
    if (enabled) {
      const replicaSets = (await repos.clusters.listByProject(projectId)).filter((c) => !c.deleteRequested && c.spec.clusterType === 'REPLICASET' && !isSharedTier(c.spec));
      if (replicaSets.length > 0) throw apiError('REGIONALIZED_MODE_REPLICA_SETS_PRESENT', projectId, replicaSets.map((c) => c.name).join(', '));
    } else {
      const counts = new Map<string, number>();
      for (const endpoint of await repos.privateEndpoints.listProjectEndpoints(projectId)) {
        if (endpoint.deleteRequested) continue;
        const key = `${endpoint.provider}:${endpoint.regionName}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      if (!canDisableRegionalizedMode(counts)) throw apiError('REGIONALIZED_MODE_CANNOT_DISABLE', projectId);
    }
    const before = await projectStrings(repos, projectId, ctx.settings.domain);
    await repos.identity.updateProject(projectId, { regionalizedPrivateEndpoints: enabled });
    // Enabling or disabling changes the strings of multi-region sharded clusters (Atlas warns of downtime).
    await recordStringChanges(repos, projectId, before, ctx.settings.domain, now);
    await recordEvent(
      repos,
      { orgId: project.orgId, projectId, type: enabled ? 'REGIONALIZED_PRIVATE_ENDPOINT_MODE_ENABLED' : 'REGIONALIZED_PRIVATE_ENDPOINT_MODE_DISABLED' },
      now,
    );
    return { enabled };
  });
}
