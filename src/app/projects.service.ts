import { randomBytes } from 'node:crypto';
import { apiError } from '../domain/errors.js';
import { isProjectName, type Principal, type Project } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { NODES_PER_PRIVATE_LINK_REGION_DEFAULT } from '../domain/private-endpoint-rules.js';
import type { Repositories } from '../store/repositories.js';
import { canSeeProject, requireProject, requireProjectCreator } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { recordEvent } from './events.js';

/** A project with the number of clusters in it (Atlas `clusterCount`). */
export interface ProjectView extends Project {
  readonly clusterCount: number;
}

/** Projects the caller can see: every project it has a role in, and its organization's if it has an org role. */
export async function listProjects(ctx: AppContext, principal: Principal): Promise<ProjectView[]> {
  const repos = reader(ctx);
  const projects = await repos.identity.listProjects({
    orgIds: principal.orgRoles.length > 0 ? [principal.orgId] : [],
    projectIds: [...principal.projectRoles.keys()],
  });
  return withCounts(
    repos,
    projects.filter((p) => canSeeProject(principal, p)),
  );
}

export async function getProject(ctx: AppContext, principal: Principal, projectId: string): Promise<ProjectView> {
  const repos = reader(ctx);
  const project = await repos.identity.findProject(projectId);
  if (!project || !canSeeProject(principal, project)) throw apiError('GROUP_NOT_FOUND', projectId);
  return (await withCounts(repos, [project]))[0]!;
}

export async function getProjectByName(ctx: AppContext, principal: Principal, name: string): Promise<ProjectView> {
  const repos = reader(ctx);
  const project = await repos.identity.findProjectByName([principal.orgId], name);
  if (!project || !canSeeProject(principal, project)) throw apiError('GROUP_NAME_NOT_FOUND', name);
  return (await withCounts(repos, [project]))[0]!;
}

/**
 * Creates a project in `orgId` (ORG_OWNER or ORG_GROUP_CREATOR there). As in Atlas, the API key
 * (or console user) that creates it becomes its Project Owner.
 */
export async function createProject(ctx: AppContext, principal: Principal, input: { name: unknown; orgId: unknown }): Promise<ProjectView> {
  if (input.name === undefined || input.name === null) throw apiError('MISSING_ATTRIBUTE', 'name');
  if (!isProjectName(input.name)) throw apiError('INVALID_ATTRIBUTE', 'name');
  const orgId = input.orgId ?? principal.orgId;
  if (typeof orgId !== 'string') throw apiError('INVALID_ATTRIBUTE', 'orgId');
  const name = input.name;
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos }) => {
    const org = await repos.identity.findOrganization(orgId);
    if (!org || principal.orgId !== orgId) throw apiError('ORG_NOT_FOUND', orgId);
    requireProjectCreator(principal);
    const project = await insertProject(repos, orgId, name, now);
    if (principal.kind === 'consoleUser') await repos.consoleUsers.setProjectRoles(principal.id, project.id, ['GROUP_OWNER']);
    else await repos.identity.setProjectRoles(principal.id, project.id, ['GROUP_OWNER']);
    await recordEvent(repos, { orgId, projectId: project.id, type: 'GROUP_CREATED', targetId: project.id, payload: { name } }, now);
    return { ...project, clusterCount: 0 };
  });
}

/** Inserts a project row (no access checks; used by createProject and the first-start bootstrap). */
export async function insertProject(repos: Repositories, orgId: string, name: string, now: Date): Promise<Project> {
  if (await repos.identity.findProjectByName([orgId], name)) throw apiError('GROUP_ALREADY_EXISTS', name, orgId);
  let hostSuffix = newHostSuffix();
  while (await repos.identity.hostSuffixTaken(hostSuffix)) hostSuffix = newHostSuffix();
  const project: Project = {
    id: newObjectId(now),
    orgId,
    name,
    hostSuffix,
    regionalizedPrivateEndpoints: false,
    nodesPerPrivateLinkRegion: NODES_PER_PRIVATE_LINK_REGION_DEFAULT,
    nodesPerPrivateLinkRegionRaised: false,
    createdAt: now,
  };
  await repos.identity.insertProject(project);
  return project;
}

/** Deletes an empty project (no clusters or serverless instances, no private endpoint services). Needs GROUP_OWNER. */
export async function deleteProject(ctx: AppContext, principal: Principal, projectId: string): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    if ((await repos.clusters.countByProject(projectId)) > 0) throw apiError('CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS', projectId);
    // Serverless instances are clusters to Atlas here too.
    if ((await repos.serverlessInstances.listByProject(projectId)).length > 0) throw apiError('CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS', projectId);
    if ((await repos.privateEndpoints.countServices(projectId)) > 0) {
      throw apiError('CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_PRIVATE_ENDPOINT_SERVICES', projectId);
    }
    await repos.identity.deleteProject(projectId);
    await recordEvent(repos, { orgId: project.orgId, projectId: null, type: 'GROUP_DELETED', targetId: projectId, payload: { name: project.name } }, now);
  });
}

async function withCounts(repos: Repositories, projects: Project[]): Promise<ProjectView[]> {
  return Promise.all(projects.map(async (project) => ({ ...project, clusterCount: await repos.clusters.countByProject(project.id) })));
}

/** Five lower-case characters, like Atlas's `ab123` in `cluster0.ab123.mongodb.net`. */
function newHostSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(5);
  let out = alphabet[bytes[0]! % 26]!;
  for (let i = 1; i < 5; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}
