import { inTransaction } from '../app/app-context.js';
import { recordEvent } from '../app/events.js';
import { SERVERLESS_MONGODB_VERSION, type ServerlessInstanceRecord } from '../domain/serverless-instance.js';
import { SERVERLESS_ENDPOINT_WORK } from '../domain/work-kinds.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import { NODES_PENDING_RETRY_MS } from './cluster.reconciler.js';
import { pollInterval, type ReconcileContext } from './reconcile-context.js';

/** Runs (or stops) a serverless instance's front end; the local cloud's simulated node or nothing. */
export interface ServerlessRuntime {
  /**
   * Makes the instance's front end run (idempotent); true when its address changed, `'pending'`
   * when another process runs it and has not said where yet (the instance is not ready).
   */
  ensureFrontEnd(instance: { readonly id: string; readonly name: string; readonly mongoDBVersion: string }): Promise<boolean | 'pending'>;
  /** Stops the instance's front end (idempotent). */
  remove(instanceId: string): Promise<void>;
}

/**
 * Reconciles one serverless instance: CREATING → IDLE once its front end runs (a front end that
 * moved wakes the instance's private endpoints, whose listener follows it); DELETING → its private
 * endpoints are removed first (each reconciler rejects the connection and deletes its service),
 * then the front end is stopped, then the row goes.
 */
export function serverlessInstanceReconciler(ctx: ReconcileContext, runtime: ServerlessRuntime): ReconcileFunction {
  return async (id: string): Promise<Outcome> => {
    const instance = await repositories(ctx.store.db).serverlessInstances.findById(id);
    if (!instance) {
      await runtime.remove(id);
      return DONE;
    }
    const now = ctx.now();
    if (instance.deleteRequested) {
      const left = await repositories(ctx.store.db).serverlessEndpoints.listByInstance(id);
      if (left.length > 0) {
        await inTransaction(ctx, async ({ repos: tx, enqueue }) => {
          for (const endpoint of left) {
            if (!endpoint.deleteRequested) await tx.serverlessEndpoints.update(endpoint.id, { deleteRequested: true, status: 'DELETING' }, now);
            await enqueue(SERVERLESS_ENDPOINT_WORK, endpoint.id);
          }
        });
        return requeueAfter(pollInterval(instance.updatedAt, now));
      }
      await runtime.remove(id);
      await inTransaction(ctx, async ({ repos: tx }) => {
        await tx.serverlessInstances.delete(id);
        await event(tx, instance, 'SERVERLESS_INSTANCE_DELETED', now);
      });
      ctx.log.info('serverless instance state changed', { ...instanceFields(instance), from: instance.stateName, to: 'DELETED' });
      return DONE;
    }
    const moved = await runtime.ensureFrontEnd({ id, name: instance.name, mongoDBVersion: SERVERLESS_MONGODB_VERSION });
    // The process running the front end wakes this instance once it runs; the retry is a fallback.
    if (moved === 'pending') return requeueAfter(NODES_PENDING_RETRY_MS);
    if (moved) {
      await inTransaction(ctx, async ({ repos: tx, enqueue }) => {
        for (const endpoint of await tx.serverlessEndpoints.listByInstance(id)) await enqueue(SERVERLESS_ENDPOINT_WORK, endpoint.id);
      });
    }
    if (instance.stateName === 'CREATING') {
      const changed = await inTransaction(ctx, async ({ repos: tx }) => {
        const current = await tx.serverlessInstances.lockById(id);
        if (!current || current.deleteRequested || current.stateName !== 'CREATING') return false;
        await tx.serverlessInstances.update(id, { stateName: 'IDLE' }, now);
        await event(tx, instance, 'SERVERLESS_INSTANCE_READY', now);
        return true;
      });
      if (changed) ctx.log.info('serverless instance state changed', { ...instanceFields(instance), from: instance.stateName, to: 'IDLE' });
    }
    return DONE;
  };
}

function instanceFields(instance: ServerlessInstanceRecord): Record<string, unknown> {
  return {
    projectId: instance.projectId,
    instanceId: instance.id,
    instanceName: instance.name,
    provider: instance.spec.backingProvider,
    region: instance.spec.regionName,
  };
}

async function event(
  tx: ReturnType<typeof repositories>,
  instance: ServerlessInstanceRecord,
  type: 'SERVERLESS_INSTANCE_READY' | 'SERVERLESS_INSTANCE_DELETED',
  now: Date,
): Promise<void> {
  const project = await tx.identity.findProject(instance.projectId);
  if (project) await recordEvent(tx, { orgId: project.orgId, projectId: project.id, type, targetId: instance.id, payload: { name: instance.name } }, now);
}
