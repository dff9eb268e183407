import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { applyServerlessChanges, parseServerlessCreate, parseServerlessUpdate, type ServerlessInstanceRecord } from '../domain/serverless-instance.js';
import { SERVERLESS_ENDPOINT_WORK, SERVERLESS_INSTANCE_WORK } from '../domain/work-kinds.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { recordEvent } from './events.js';

/**
 * Creates a serverless instance (Project Owner): `POST /groups/{groupId}/serverless`. It starts
 * CREATING; the reconciler makes it IDLE once its front end runs. The name is unique among the
 * project's clusters and serverless instances (409 SERVERLESS_INSTANCE_ALREADY_EXISTS).
 */
export async function createServerlessInstance(ctx: AppContext, principal: Principal, projectId: string, body: unknown): Promise<ServerlessInstanceRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const spec = parseServerlessCreate(body);
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    if ((await repos.serverlessInstances.findByName(projectId, spec.name)) || (await repos.clusters.findByName(projectId, spec.name))) {
      throw apiError('SERVERLESS_INSTANCE_ALREADY_EXISTS', spec.name, projectId);
    }
    const instance: ServerlessInstanceRecord = {
      id: newObjectId(now),
      projectId,
      name: spec.name,
      spec,
      stateName: 'CREATING',
      deleteRequested: false,
      createdAt: now,
      updatedAt: now,
    };
    await repos.serverlessInstances.insert(instance);
    await recordEvent(
      repos,
      {
        orgId: project.orgId,
        projectId,
        type: 'SERVERLESS_INSTANCE_CREATED',
        targetId: instance.id,
        payload: { name: spec.name, backingProviderName: spec.backingProvider, regionName: spec.regionName },
      },
      now,
    );
    await enqueue(SERVERLESS_INSTANCE_WORK, instance.id);
    return instance;
  });
}

/** The project's serverless instances, oldest first (Project Read Only). */
export async function listServerlessInstances(ctx: AppContext, principal: Principal, projectId: string): Promise<ServerlessInstanceRecord[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return repos.serverlessInstances.listByProject(projectId);
}

/** One serverless instance by name, or 404 SERVERLESS_INSTANCE_NOT_FOUND (Project Read Only). */
export async function getServerlessInstance(ctx: AppContext, principal: Principal, projectId: string, name: string): Promise<ServerlessInstanceRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return findInstance(repos, projectId, name);
}

/**
 * Changes what a serverless instance lets change (`serverlessBackupOptions`, `tags`,
 * `terminationProtectionEnabled`); nothing about it runs differently, so it stays in its state.
 */
export async function updateServerlessInstance(ctx: AppContext, principal: Principal, projectId: string, name: string, body: unknown): Promise<ServerlessInstanceRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const changes = parseServerlessUpdate(body);
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const instance = await findInstance(repos, projectId, name);
    if (instance.deleteRequested) throw apiError('SERVERLESS_INSTANCE_ALREADY_REQUESTED_DELETION', instance.name);
    const spec = applyServerlessChanges(instance.spec, changes);
    await repos.serverlessInstances.update(instance.id, { spec }, now);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'SERVERLESS_INSTANCE_UPDATED', targetId: instance.id, payload: { name: instance.name } }, now);
    return (await repos.serverlessInstances.findById(instance.id))!;
  });
}

/**
 * Asks for deletion (DELETING): the reconciler removes the instance's private endpoints first,
 * then stops its front end, then the row goes (GET answers 404). Refused while termination
 * protection is on.
 */
export async function deleteServerlessInstance(ctx: AppContext, principal: Principal, projectId: string, name: string): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const instance = await findInstance(repos, projectId, name);
    if (instance.deleteRequested) throw apiError('SERVERLESS_INSTANCE_ALREADY_REQUESTED_DELETION', instance.name);
    if (instance.spec.terminationProtectionEnabled) throw apiError('CANNOT_TERMINATE_SERVERLESS_INSTANCE_WHEN_TERMINATION_PROTECTION_ENABLED', instance.name);
    await repos.serverlessInstances.update(instance.id, { stateName: 'DELETING', deleteRequested: true }, now);
    for (const endpoint of await repos.serverlessEndpoints.listByInstance(instance.id)) {
      if (!endpoint.deleteRequested) {
        await repos.serverlessEndpoints.update(endpoint.id, { deleteRequested: true, status: 'DELETING' }, now);
        await recordEvent(repos, { orgId: project.orgId, projectId, type: 'TENANT_ENDPOINT_DELETING', targetId: endpoint.id, payload: { instanceName: instance.name } }, now);
        await enqueue(SERVERLESS_ENDPOINT_WORK, endpoint.id);
      }
    }
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'SERVERLESS_INSTANCE_DELETE_SUBMITTED', targetId: instance.id, payload: { name: instance.name } }, now);
    await enqueue(SERVERLESS_INSTANCE_WORK, instance.id);
  });
}

/** The project's instance of this name, or 404 SERVERLESS_INSTANCE_NOT_FOUND. */
export async function findInstance(repos: Repositories, projectId: string, name: string): Promise<ServerlessInstanceRecord> {
  const instance = await repos.serverlessInstances.findByName(projectId, name);
  if (!instance) throw apiError('SERVERLESS_INSTANCE_NOT_FOUND', name, projectId);
  return instance;
}
