import { settingsOf, settingsToBody } from '../domain/cluster-settings.js';
import { clusterRegions, isSharedTier, parseClusterSpec, targetsInRegion, type ClusterSpec } from '../domain/cluster.js';
import { ApiError, apiError } from '../domain/errors.js';
import type { Principal, Project } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { checkAddressableTargetLimit, checkMultiRegionCoverage } from '../domain/private-endpoint-rules.js';
import { CLUSTER_WORK } from '../domain/work-kinds.js';
import type { ClusterRecord } from '../domain/cluster.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext, type UnitOfWork } from './app-context.js';
import { projectStrings, recordStringChanges } from './connection-string-events.js';
import { recordEvent } from './events.js';
import { syncPortAllocations } from './port-allocations.js';

/** Reconcile-queue kind of clusters (key: cluster id). */

/** Creates a cluster (GROUP_OWNER or GROUP_CLUSTER_MANAGER); it goes CREATING → IDLE through the reconciler. */
export async function createCluster(ctx: AppContext, principal: Principal, projectId: string, body: unknown): Promise<ClusterRecord> {
  // Who may act is checked before what they sent: a caller without the role learns nothing from validation.
  await requireProject(reader(ctx), principal, projectId, 'clusterWrite');
  const spec = parseClusterSpec(body);
  const now = ctx.now();
  return inTransaction(ctx, async (uow) => {
    const { repos } = uow;
    const project = await requireProject(repos, principal, projectId, 'clusterWrite', { lock: true });
    if (await repos.clusters.findByName(projectId, spec.name)) throw apiError('DUPLICATE_CLUSTER_NAME', spec.name, projectId);
    // Serverless instances share the project's cluster names.
    if (await repos.serverlessInstances.findByName(projectId, spec.name)) throw apiError('SERVERLESS_INSTANCE_ALREADY_EXISTS', spec.name, projectId);
    await checkPrivateEndpointRules(repos, project, spec, undefined);
    const cluster: ClusterRecord = {
      id: newObjectId(now),
      projectId,
      name: spec.name,
      spec,
      stateName: 'CREATING',
      deleteRequested: false,
      createdAt: now,
      updatedAt: now,
    };
    const before = await projectStrings(repos, projectId, ctx.settings.domain);
    await repos.clusters.insert(cluster);
    await syncPortAllocations(repos, projectId, cluster.id, spec);
    await recordStringChanges(repos, projectId, before, ctx.settings.domain, now);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'CLUSTER_CREATED', targetId: cluster.id, payload: { clusterName: spec.name } }, now);
    await enqueueClusterWork(uow, cluster);
    return cluster;
  });
}

export async function listClusters(ctx: AppContext, principal: Principal, projectId: string): Promise<ClusterRecord[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return repos.clusters.listByProject(projectId);
}

export async function getCluster(ctx: AppContext, principal: Principal, projectId: string, name: string): Promise<ClusterRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const cluster = await repos.clusters.findByName(projectId, name);
  if (!cluster) throw apiError('CLUSTER_NOT_FOUND', name, projectId);
  return cluster;
}

/**
 * Changes a cluster's topology (PATCH with the same shape as create; the name cannot change).
 * The private-endpoint rules are checked again for the grown cluster.
 */
export async function updateCluster(ctx: AppContext, principal: Principal, projectId: string, name: string, body: unknown): Promise<ClusterRecord> {
  const now = ctx.now();
  return inTransaction(ctx, async (uow) => {
    const { repos } = uow;
    const project = await requireProject(repos, principal, projectId, 'clusterWrite', { lock: true });
    const cluster = await repos.clusters.findByName(projectId, name);
    if (!cluster) throw apiError('CLUSTER_NOT_FOUND', name, projectId);
    if (cluster.deleteRequested) throw apiError('CLUSTER_ALREADY_REQUESTED_DELETION', cluster.name);
    const merged = { ...specToBody(cluster.spec), ...(body as Record<string, unknown>), name: cluster.name };
    const spec = parseClusterSpec(merged);
    if (spec.clusterType !== cluster.spec.clusterType) {
      throw new ApiError('INVALID_CLUSTER_CONFIGURATION', [`clusterType cannot change from ${cluster.spec.clusterType} to ${spec.clusterType}.`]);
    }
    await checkPrivateEndpointRules(repos, project, spec, cluster.id);
    const before = await projectStrings(repos, projectId, ctx.settings.domain);
    await repos.clusters.update(cluster.id, { spec, stateName: 'UPDATING' }, now);
    await syncPortAllocations(repos, projectId, cluster.id, spec);
    await recordStringChanges(repos, projectId, before, ctx.settings.domain, now);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'CLUSTER_UPDATE_SUBMITTED', targetId: cluster.id, payload: { clusterName: cluster.name } }, now);
    // Both the old and the new regions' endpoint services follow the change.
    await enqueueClusterWork(uow, { ...cluster, spec });
    await enqueueClusterWork(uow, cluster);
    return (await repos.clusters.findById(cluster.id))!;
  });
}

/** Asks for deletion (DELETING); the reconciler removes it. */
export async function deleteCluster(ctx: AppContext, principal: Principal, projectId: string, name: string): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx, async (uow) => {
    const { repos } = uow;
    const project = await requireProject(repos, principal, projectId, 'clusterWrite', { lock: true });
    const cluster = await repos.clusters.findByName(projectId, name);
    if (!cluster) throw apiError('CLUSTER_NOT_FOUND', name, projectId);
    if (cluster.deleteRequested) throw apiError('CLUSTER_ALREADY_REQUESTED_DELETION', cluster.name);
    if (settingsOf(cluster.spec).terminationProtectionEnabled) throw apiError('CANNOT_TERMINATE_CLUSTER_WHEN_TERMINATION_PROTECTION_ENABLED', cluster.name);
    const before = await projectStrings(repos, projectId, ctx.settings.domain);
    await repos.clusters.update(cluster.id, { stateName: 'DELETING', deleteRequested: true }, now);
    await recordStringChanges(repos, projectId, before, ctx.settings.domain, now);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'CLUSTER_DELETE_SUBMITTED', targetId: cluster.id, payload: { clusterName: cluster.name } }, now);
    await enqueueClusterWork(uow, cluster);
  });
}

/** Enqueues the cluster and the endpoint services of its regions (their listeners follow the cluster's targets). */
async function enqueueClusterWork(uow: UnitOfWork, cluster: ClusterRecord): Promise<void> {
  await uow.enqueue(CLUSTER_WORK, cluster.id);
  for (const region of clusterRegions(cluster.spec)) {
    const service = await uow.repos.privateEndpoints.findServiceByRegion(cluster.projectId, region.provider, region.regionName);
    if (service) await uow.enqueue('endpoint-service', service.id);
  }
}

/**
 * Atlas's private-endpoint rules for a cluster being created or changed: replica sets are not allowed in a
 * regionalized project; a region with an AWS endpoint service keeps at most the project's limit
 * of addressable targets; a multi-region cluster needs PrivateLink in all or none of its regions.
 */
async function checkPrivateEndpointRules(repos: Repositories, project: Project, spec: ClusterSpec, replacing: string | undefined): Promise<void> {
  if (isSharedTier(spec)) return;
  if (project.regionalizedPrivateEndpoints && spec.clusterType === 'REPLICASET') {
    throw apiError('REPLICA_SETS_NOT_ALLOWED_IN_REGIONALIZED_MODE', project.id);
  }
  const services = (await repos.privateEndpoints.listServices(project.id)).filter((s) => !s.deleteRequested);
  const others = (await repos.clusters.listByProject(project.id)).filter((c) => c.id !== replacing && !c.deleteRequested);
  for (const service of services) {
    const mine = targetsInRegion(spec, service.provider, service.regionName);
    if (mine === 0) continue;
    const total = mine + others.reduce((sum, c) => sum + targetsInRegion(c.spec, service.provider, service.regionName), 0);
    checkAddressableTargetLimit(service.provider, service.regionName, total, project.nodesPerPrivateLinkRegion);
  }
  for (const provider of ['AWS', 'AZURE', 'GCP'] as const) {
    const regions = clusterRegions(spec)
      .filter((r) => r.provider === provider)
      .map((r) => r.regionName);
    checkMultiRegionCoverage(provider, regions, new Set(services.filter((s) => s.provider === provider).map((s) => s.regionName)));
  }
}

/**
 * The API body that would create `spec` (used to merge PATCH bodies: a PATCH attribute replaces
 * the stored one as a whole, arrays such as `labels` and `tags` included).
 */
function specToBody(spec: ClusterSpec): Record<string, unknown> {
  const settings = settingsOf(spec);
  return {
    ...settingsToBody(settings),
    name: spec.name,
    clusterType: spec.clusterType,
    mongoDBMajorVersion: spec.mongoDBMajorVersion,
    biConnector: { enabled: spec.biConnectorEnabled, readPreference: settings.biConnectorReadPreference },
    ...(spec.targets ? { privlinkTargets: spec.targets } : {}),
    replicationSpecs: spec.replicationSpecs.map((replication) => ({
      zoneName: replication.zoneName,
      regionConfigs: replication.regionConfigs.map((config) => ({
        providerName: config.tenant ? 'TENANT' : config.providerName,
        ...(config.tenant ? { backingProviderName: config.providerName } : {}),
        regionName: config.regionName,
        priority: config.priority,
        electableSpecs: config.electableSpecs,
        readOnlySpecs: config.readOnlySpecs,
        analyticsSpecs: config.analyticsSpecs,
      })),
    })),
  };
}
