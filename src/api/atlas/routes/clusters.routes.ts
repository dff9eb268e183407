import * as clustersUseCases from '../../../app/clusters.service.js';
import type { ClusterConnectionStrings } from '../../../app/connection-strings.js';
import type { ClusterRecord } from '../../../domain/cluster.js';
import type { AppContext } from '../../../app/app-context.js';
import { paginate } from '../pagination.js';
import { projectAccess } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { clusterJson } from '../serializers/clusters.serializer.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const clusters = tracedUseCases(clustersUseCases);

const CLUSTER_VERSIONS = ['2023-01-01', '2023-02-01', '2024-08-05', '2024-10-23'];

/** Computes a cluster's connection strings (private endpoint strings appear with the data plane). */
export type ConnectionStringsOf = (ctx: AppContext, cluster: ClusterRecord) => Promise<ClusterConnectionStrings>;

/** `…/groups/{groupId}/clusters[/{clusterName}]`: the clusters private endpoints serve. */
export function clustersRoutes(r: RouteRegistrar, connectionStrings: ConnectionStringsOf): void {
  const options = { versions: CLUSTER_VERSIONS };
  const writeOptions = { versions: CLUSTER_VERSIONS, access: projectAccess('clusterWrite') };
  r.post(
    '/groups/:groupId/clusters',
    async ({ ctx, principal, params, body, base }) => {
      const cluster = await clusters.createCluster(ctx, principal, params.groupId!, body);
      return { status: 201, body: clusterJson(cluster, await connectionStrings(ctx, cluster), base) };
    },
    writeOptions,
  );
  r.get(
    '/groups/:groupId/clusters',
    async ({ ctx, principal, params, query, base }) => {
      const list = await clusters.listClusters(ctx, principal, params.groupId!);
      const bodies = [];
      for (const cluster of list) bodies.push(clusterJson(cluster, await connectionStrings(ctx, cluster), base));
      return { status: 200, body: paginate(bodies, query, `${base}/groups/${params.groupId}/clusters`) };
    },
    options,
  );
  r.get(
    '/groups/:groupId/clusters/:clusterName',
    async ({ ctx, principal, params, base }) => {
      const cluster = await clusters.getCluster(ctx, principal, params.groupId!, params.clusterName!);
      return { status: 200, body: clusterJson(cluster, await connectionStrings(ctx, cluster), base) };
    },
    options,
  );
  r.patch(
    '/groups/:groupId/clusters/:clusterName',
    async ({ ctx, principal, params, body, base }) => {
      const cluster = await clusters.updateCluster(ctx, principal, params.groupId!, params.clusterName!, body);
      return { status: 200, body: clusterJson(cluster, await connectionStrings(ctx, cluster), base) };
    },
    writeOptions,
  );
  r.delete(
    '/groups/:groupId/clusters/:clusterName',
    async ({ ctx, principal, params }) => {
      await clusters.deleteCluster(ctx, principal, params.groupId!, params.clusterName!);
      return { status: 202 };
    },
    options,
  );
}
