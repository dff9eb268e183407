import { addressableTargets } from '../domain/cluster.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { NODES_PER_PRIVATE_LINK_REGION_DEFAULT, NODES_PER_PRIVATE_LINK_REGION_LIMIT, NODES_PER_PRIVATE_LINK_REGION_MAXIMUM } from '../domain/private-endpoint-rules.js';
import type { ClusterRecord } from '../domain/cluster.js';
import { requireProject, requireProjectOrgOwner } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { recordEvent } from './events.js';

/** One project limit as Atlas shows it. */
export interface ProjectLimit {
  readonly name: string;
  readonly value: number;
  readonly defaultLimit: number;
  readonly maximumLimit: number;
  readonly currentUsage: number;
}

/** The project limits privlink enforces (only `atlas.project.deployment.nodesPerPrivateLinkRegion`). */
export async function listProjectLimits(ctx: AppContext, principal: Principal, projectId: string): Promise<ProjectLimit[]> {
  const repos = reader(ctx);
  const project = await requireProject(repos, principal, projectId, 'read');
  const clusters = await repos.clusters.listByProject(projectId);
  return [
    {
      name: NODES_PER_PRIVATE_LINK_REGION_LIMIT,
      value: project.nodesPerPrivateLinkRegion,
      defaultLimit: NODES_PER_PRIVATE_LINK_REGION_DEFAULT,
      maximumLimit: NODES_PER_PRIVATE_LINK_REGION_MAXIMUM,
      currentUsage: busiestAwsRegion(clusters),
    },
  ];
}

export async function getProjectLimit(ctx: AppContext, principal: Principal, projectId: string, name: string): Promise<ProjectLimit> {
  const limit = (await listProjectLimits(ctx, principal, projectId)).find((l) => l.name === name);
  if (!limit) throw apiError('INVALID_PROJECT_LIMIT_NAME', name);
  return limit;
}

/**
 * Sets `atlas.project.deployment.nodesPerPrivateLinkRegion`: an Organization Owner of the
 * project's organization may raise it once, up to 50 (Atlas's "one-time increase").
 */
export async function setProjectLimit(ctx: AppContext, principal: Principal, projectId: string, name: string, value: unknown): Promise<ProjectLimit> {
  await inTransaction(ctx, async ({ repos }) => {
    const project = await requireProjectOrgOwner(repos, principal, projectId, { lock: true });
    if (name !== NODES_PER_PRIVATE_LINK_REGION_LIMIT) throw apiError('INVALID_PROJECT_LIMIT_NAME', name);
    if (value === undefined || value === null) throw apiError('MISSING_ATTRIBUTE', 'value');
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw apiError('INVALID_ATTRIBUTE', 'value');
    if (value > NODES_PER_PRIVATE_LINK_REGION_MAXIMUM) throw apiError('PROJECT_LIMIT_ABOVE_MAXIMUM', name, value, NODES_PER_PRIVATE_LINK_REGION_MAXIMUM);
    if (project.nodesPerPrivateLinkRegionRaised) throw apiError('PROJECT_LIMIT_ALREADY_RAISED', name, projectId);
    if (value < busiestAwsRegion(await repos.clusters.listByProject(projectId))) throw apiError('INVALID_ATTRIBUTE', 'value');
    await repos.identity.updateProject(projectId, {
      nodesPerPrivateLinkRegion: value,
      nodesPerPrivateLinkRegionRaised: value > NODES_PER_PRIVATE_LINK_REGION_DEFAULT,
    });
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'PROJECT_LIMIT_UPDATED', targetId: name, payload: { value } }, ctx.now());
  });
  return getProjectLimit(ctx, { ...principal, projectRoles: new Map([...principal.projectRoles, [projectId, ['GROUP_READ_ONLY']]]) }, projectId, name);
}

/** The most addressable targets any one AWS region of the project holds. */
function busiestAwsRegion(clusters: readonly ClusterRecord[]): number {
  const counts = new Map<string, number>();
  for (const cluster of clusters) {
    for (const target of addressableTargets(cluster.spec)) {
      if (target.provider === 'AWS') counts.set(target.regionName, (counts.get(target.regionName) ?? 0) + 1);
    }
  }
  return Math.max(0, ...counts.values());
}
