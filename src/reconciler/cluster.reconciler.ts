import { ENDPOINT_SERVICE_WORK } from '../domain/work-kinds.js';
import { projectStrings, recordStringChanges, stringsOf } from '../app/connection-string-events.js';
import { inTransaction, type UnitOfWork } from '../app/app-context.js';
import { recordEvent } from '../app/events.js';
import { clusterRegions } from '../domain/cluster.js';
import type { ClusterRecord } from '../domain/cluster.js';
import type { Project } from '../domain/identity.js';
import type { Repositories } from '../store/repositories.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import type { ReconcileContext } from './reconcile-context.js';

/** Runs (or stops) what backs a cluster's nodes; the local cloud's simulated nodes or nothing. */
export interface ClusterRuntime {
  /**
   * Makes the cluster's nodes run (idempotent); true when their addresses changed, `'pending'`
   * when another process runs them and has not said where yet (the cluster is not ready).
   */
  ensure(cluster: ClusterRecord): Promise<boolean | 'pending'>;
  /** Stops the cluster's nodes (idempotent). */
  remove(clusterId: string): Promise<void>;
}

/** How soon a cluster (or serverless instance) whose nodes another process has not started yet is looked at again. */
export const NODES_PENDING_RETRY_MS = 2000;

/**
 * Reconciles one cluster: CREATING/UPDATING → IDLE once its nodes run; DELETING → gone once they
 * are stopped. Each change also wakes the endpoint services of the cluster's regions, whose
 * port-per-node listeners follow the cluster's addressable targets.
 */
export function clusterReconciler(ctx: ReconcileContext, runtime: ClusterRuntime): ReconcileFunction {
  return async (id: string): Promise<Outcome> => {
    const cluster = await repositories(ctx.store.db).clusters.findById(id);
    if (!cluster) {
      await runtime.remove(id);
      return DONE;
    }
    const now = ctx.now();
    if (cluster.deleteRequested) {
      await runtime.remove(id);
      await inTransaction(ctx, async (uow) => {
        const tx = uow.repos;
        const project = await tx.identity.findProject(cluster.projectId);
        const before = project ? await stringsOf(tx, project, ctx.domain) : new Map<string, string[]>();
        await tx.ports.release(id);
        await tx.clusters.delete(id);
        await event(tx, project, cluster, 'CLUSTER_DELETED', now);
        await recordStringChanges(tx, cluster.projectId, before, ctx.domain, now);
        await wakeServices(uow, cluster);
      });
      ctx.log.info('cluster state changed', { ...clusterFields(cluster), from: cluster.stateName, to: 'DELETED' });
      return DONE;
    }
    const moved = await runtime.ensure(cluster);
    // The process running the nodes wakes this cluster once they run; the retry is a fallback.
    if (moved === 'pending') return requeueAfter(NODES_PENDING_RETRY_MS);
    if (moved && cluster.stateName === 'IDLE') {
      // Nodes (re)started on new addresses: their endpoint services re-register the targets.
      await inTransaction(ctx, (uow) => wakeServices(uow, cluster));
    }
    if (cluster.stateName !== 'IDLE') {
      const changed = await inTransaction(ctx, async (uow) => {
        const tx = uow.repos;
        const current = await tx.clusters.lockById(id);
        if (!current || current.deleteRequested || current.updatedAt.getTime() !== cluster.updatedAt.getTime()) return false;
        const before = await projectStrings(tx, cluster.projectId, ctx.domain);
        await tx.clusters.update(id, { stateName: 'IDLE' }, now);
        const project = await recordStringChanges(tx, cluster.projectId, before, ctx.domain, now);
        await event(tx, project, cluster, 'CLUSTER_READY', now);
        await wakeServices(uow, cluster);
        return true;
      });
      if (changed) ctx.log.info('cluster state changed', { ...clusterFields(cluster), from: cluster.stateName, to: 'IDLE' });
    }
    return DONE;
  };
}

/** The ids every log line about a cluster carries (with its regions, where private endpoints serve it). */
function clusterFields(cluster: ClusterRecord): Record<string, unknown> {
  return {
    projectId: cluster.projectId,
    clusterId: cluster.id,
    clusterName: cluster.name,
    regions: clusterRegions(cluster.spec).map((r) => `${r.provider}:${r.regionName}`),
  };
}

/** Records the cluster's event in its project (read in the same transaction; none once the project is gone). */
async function event(tx: Repositories, project: Project | undefined, cluster: ClusterRecord, type: 'CLUSTER_READY' | 'CLUSTER_DELETED', now: Date): Promise<void> {
  if (project) await recordEvent(tx, { orgId: project.orgId, projectId: project.id, type, targetId: cluster.id, payload: { clusterName: cluster.name } }, now);
}

/** Enqueues the endpoint services of the cluster's regions (their listeners follow its nodes). */
export async function wakeServices(uow: UnitOfWork, cluster: ClusterRecord): Promise<void> {
  for (const region of clusterRegions(cluster.spec)) {
    const service = await uow.repos.privateEndpoints.findServiceByRegion(cluster.projectId, region.provider, region.regionName);
    if (service) await uow.enqueue(ENDPOINT_SERVICE_WORK, service.id);
  }
}
