import { addressableTargets, isSharedTier } from '../domain/cluster.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { requireProject } from './access.js';
import { reader, type AppContext } from './app-context.js';

/** `UP`, or `DOWN` (taken down with the fault switch). */
export type NodeState = 'UP' | 'DOWN';

/** One simulated node of a cluster as the fault switch reports it. */
export interface NodeStatus {
  /** The node's target name: `node-0`, `node-1`, … (replica-set members), `mongos-0`, … */
  readonly name: string;
  readonly state: NodeState;
  /** PRIMARY (the member that is primary now), SECONDARY (every other member, up or down), MONGOS. */
  readonly role: 'PRIMARY' | 'SECONDARY' | 'MONGOS';
}

/**
 * The local cloud's node fault switch, as the data plane offers it: takes one simulated node of a
 * cluster down (its port behind the load balancer resets every connection; its replica set elects
 * another primary) or brings it back up. Rejects when the node does not run in this process.
 */
export interface NodeFaultSwitch {
  setNodeState(clusterId: string, targetName: string, state: NodeState): Promise<NodeStatus[]>;
}

/**
 * Takes node `nodeName` of cluster `clusterName` down or up (privlink's local fault switch; Atlas's
 * nearest operation is "Test Failover"). Needs Project Owner or Project Cluster Manager, as
 * Atlas's failover test does. Answers the cluster's nodes after the change.
 */
export async function setSimulatedNodeState(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  clusterName: string,
  nodeName: string,
  state: NodeState,
): Promise<NodeStatus[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'clusterWrite');
  const cluster = await repos.clusters.findByName(projectId, clusterName);
  if (!cluster) throw apiError('CLUSTER_NOT_FOUND', clusterName, projectId);
  const faults = ctx.nodeFaults;
  if (!faults) throw apiError('SIMULATED_NODES_UNAVAILABLE', clusterName, 'the local cloud is off, so privlink runs no nodes.');
  if (cluster.spec.targets || isSharedTier(cluster.spec)) {
    throw apiError('SIMULATED_NODES_UNAVAILABLE', clusterName, 'its nodes are real targets (privlinkTargets) or a shared tier.');
  }
  if (!addressableTargets(cluster.spec).some((t) => t.name === nodeName && t.kind !== 'biConnector')) throw apiError('SIMULATED_NODE_NOT_FOUND', nodeName, clusterName);
  try {
    return await faults.setNodeState(cluster.id, nodeName, state);
  } catch (error) {
    throw apiError('SIMULATED_NODES_UNAVAILABLE', clusterName, `${(error as Error).message}.`);
  }
}
