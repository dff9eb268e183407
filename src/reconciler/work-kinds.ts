import {
  APPSERVICES_ENDPOINT_SERVICE_WORK,
  CLUSTER_WORK,
  ENDPOINT_SERVICE_WORK,
  INTERFACE_ENDPOINT_WORK,
  interfaceEndpointKey,
  SERVERLESS_ENDPOINT_WORK,
  SERVERLESS_INSTANCE_WORK,
} from '../domain/work-kinds.js';
import { repositories } from '../store/repositories.js';
import { appServicesEndpointServiceReconciler } from './appservices-endpoint-service.reconciler.js';
import { clusterReconciler, type ClusterRuntime } from './cluster.reconciler.js';
import { endpointServiceReconciler } from './endpoint-service.reconciler.js';
import { interfaceEndpointReconciler } from './interface-endpoint.reconciler.js';
import type { ReconcileFunction } from './outcome.js';
import type { ReconcileContext } from './reconcile-context.js';
import { serverlessEndpointReconciler } from './serverless-endpoint.reconciler.js';
import { serverlessInstanceReconciler, type ServerlessRuntime } from './serverless-instance.reconciler.js';

/**
 * One kind of reconciled resource: how a key of it is reconciled, and every key that exists now.
 * The registry drives both the controller's handlers and the periodic resync, so a new kind
 * (a serverless or App Services endpoint) is one more entry here.
 */
export interface WorkKind {
  readonly kind: string;
  readonly reconcile: ReconcileFunction;
  /** Every key of this kind in the store (resync enqueues them all). */
  listKeys(): Promise<string[]>;
}

/** The kinds this process reconciles. */
export function workKinds(ctx: ReconcileContext, clusterRuntime: ClusterRuntime, serverlessRuntime: ServerlessRuntime = NO_FRONT_ENDS): WorkKind[] {
  const repos = () => repositories(ctx.store.db);
  return [
    { kind: CLUSTER_WORK, reconcile: clusterReconciler(ctx, clusterRuntime), listKeys: () => repos().clusters.listIds() },
    { kind: ENDPOINT_SERVICE_WORK, reconcile: endpointServiceReconciler(ctx), listKeys: () => repos().privateEndpoints.listAllServiceIds() },
    {
      kind: INTERFACE_ENDPOINT_WORK,
      reconcile: interfaceEndpointReconciler(ctx),
      listKeys: async () => (await repos().privateEndpoints.listAllEndpointKeys()).map((k) => interfaceEndpointKey(k.serviceId, k.endpointId)),
    },
    { kind: SERVERLESS_INSTANCE_WORK, reconcile: serverlessInstanceReconciler(ctx, serverlessRuntime), listKeys: () => repos().serverlessInstances.listIds() },
    { kind: SERVERLESS_ENDPOINT_WORK, reconcile: serverlessEndpointReconciler(ctx), listKeys: () => repos().serverlessEndpoints.listIds() },
    { kind: APPSERVICES_ENDPOINT_SERVICE_WORK, reconcile: appServicesEndpointServiceReconciler(ctx), listKeys: () => repos().appServicesEndpoints.listServiceIds() },
  ];
}

/** Without the local cloud nothing runs a serverless front end (self-hosted use routes to real targets). */
const NO_FRONT_ENDS: ServerlessRuntime = { ensureFrontEnd: async () => false, remove: async () => undefined };
