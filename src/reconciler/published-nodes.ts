import { inTransaction } from '../app/app-context.js';
import { simulatedNodeTargets, type ClusterRecord } from '../domain/cluster.js';
import { SERVERLESS_MONGODB_VERSION } from '../domain/serverless-instance.js';
import { FRONT_END_TARGET } from '../domain/serverless-topology.js';
import { CLUSTER_WORK, SERVERLESS_ENDPOINT_WORK, SERVERLESS_INSTANCE_WORK } from '../domain/work-kinds.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import type { NodeAddress } from '../store/simulated-nodes.repository.js';
import { wakeServices, type ClusterRuntime } from './cluster.reconciler.js';
import type { ServerlessRuntime } from './serverless-instance.reconciler.js';

/**
 * The channel on which a replica without the local cloud asks the process that runs it to make a
 * cluster's simulated nodes, or a serverless instance's front end, match the store (payload: the
 * cluster's or instance's id). That process starts or
 * stops them, publishes where they listen, and wakes the cluster's work.
 */
export const NODES_CHANNEL = 'privlink_simulated_nodes';

/** Settings key present while a process runs simulated nodes and answers NODES_CHANNEL. */
const HOST_SETTING = 'simulated_nodes_host';

/** The local cloud's node runtime, as the process running it sees it. */
export interface NodeHost extends ClusterRuntime, ServerlessRuntime {
  /** Where the cluster's nodes listen now, by target name (empty when none runs). */
  nodesOf(clusterId: string): Readonly<Record<string, NodeAddress>>;
}

/** The runtime of the process that runs the nodes, publishing their addresses for the other replicas. */
export interface PublishingRuntime extends ClusterRuntime, ServerlessRuntime {
  /** Forgets every published address (the nodes restart afresh, on new ports). */
  clear(): Promise<void>;
}

/**
 * Wraps the node host: every ensure and remove also writes the cluster's node addresses to the
 * store when they differ from what this process last wrote there.
 */
export function publishingRuntime(store: Store, host: NodeHost): PublishingRuntime {
  const published = new Map<string, string>();
  const publish = async (clusterId: string, addresses: Readonly<Record<string, NodeAddress>>) => {
    const shape = JSON.stringify(Object.entries(addresses).sort(([a], [b]) => a.localeCompare(b)));
    if (published.get(clusterId) === shape) return;
    await repositories(store.db).simulatedNodes.replace(clusterId, addresses);
    if (Object.keys(addresses).length === 0) published.delete(clusterId);
    else published.set(clusterId, shape);
  };
  return {
    async ensure(cluster) {
      const moved = await host.ensure(cluster);
      await publish(cluster.id, host.nodesOf(cluster.id));
      return moved;
    },
    async ensureFrontEnd(instance) {
      const moved = await host.ensureFrontEnd(instance);
      await publish(instance.id, host.nodesOf(instance.id));
      return moved;
    },
    async remove(clusterId) {
      await host.remove(clusterId);
      await publish(clusterId, {});
    },
    async clear() {
      published.clear();
      await repositories(store.db).simulatedNodes.clear();
    },
  };
}

/**
 * The runtime of a replica without the local cloud: a cluster is ready once the process running
 * the nodes has published an address for each of its simulated targets (a serverless instance
 * once its front end's); until then that process
 * is asked (NODES_CHANNEL) and the cluster waits. Removal is asked the same way. When no process
 * runs simulated nodes (the AWS endpoint is another emulator), clusters are ready without them.
 */
export function remoteRuntime(store: Store): ClusterRuntime & ServerlessRuntime {
  return {
    async ensureFrontEnd(instance) {
      const repos = repositories(store.db);
      if ((await repos.settings.get(HOST_SETTING)) === undefined) return false;
      if ((await repos.simulatedNodes.addressesOf(instance.id))[FRONT_END_TARGET]) return false;
      await store.notify(NODES_CHANNEL, instance.id);
      return 'pending';
    },
    async ensure(cluster: ClusterRecord) {
      const wanted = simulatedNodeTargets(cluster.spec);
      if (wanted.length === 0) return false;
      const repos = repositories(store.db);
      if ((await repos.settings.get(HOST_SETTING)) === undefined) return false;
      const addresses = await repos.simulatedNodes.addressesOf(cluster.id);
      if (wanted.every((target) => addresses[target.name]) && Object.keys(addresses).length === wanted.length) return false;
      await store.notify(NODES_CHANNEL, cluster.id);
      return 'pending';
    },
    async remove(clusterId: string) {
      await store.notify(NODES_CHANNEL, clusterId);
    },
  };
}

/** Reads published node addresses (for a replica's listener directory when the nodes run elsewhere). */
export function publishedAddresses(store: Store): { nodesOf(clusterId: string): Promise<Record<string, NodeAddress>> } {
  return { nodesOf: (clusterId) => repositories(store.db).simulatedNodes.addressesOf(clusterId) };
}

/**
 * In the process that runs the nodes: answers NODES_CHANNEL requests. Each names a cluster; its
 * nodes are made to match the store (started, re-shaped, or stopped when the cluster is gone or
 * being deleted), then the cluster is enqueued (and its services too when the nodes moved) so
 * whichever replica claims it sees them. Requests for one cluster run one at a time; a request
 * arriving while one runs is folded into one more run. While it serves, the store says so
 * (HOST_SETTING). Returns the function that stops serving.
 */
export async function serveNodeRequests(store: Store, runtime: PublishingRuntime, log: Logger): Promise<() => Promise<void>> {
  const running = new Map<string, { again: boolean }>();
  const sync = async (clusterId: string) => {
    const repos = repositories(store.db);
    const cluster = await repos.clusters.findById(clusterId);
    const instance = cluster ? undefined : await repos.serverlessInstances.findById(clusterId);
    if (instance && !instance.deleteRequested) {
      const moved = await runtime.ensureFrontEnd({ id: instance.id, name: instance.name, mongoDBVersion: SERVERLESS_MONGODB_VERSION });
      await inTransaction({ store }, async (uow) => {
        await uow.enqueue(SERVERLESS_INSTANCE_WORK, instance.id);
        if (moved === true) for (const endpoint of await uow.repos.serverlessEndpoints.listByInstance(instance.id)) await uow.enqueue(SERVERLESS_ENDPOINT_WORK, endpoint.id);
      });
      return;
    }
    if (!cluster || cluster.deleteRequested) {
      await runtime.remove(clusterId);
      return;
    }
    const moved = await runtime.ensure(cluster);
    await inTransaction({ store }, async (uow) => {
      await uow.enqueue(CLUSTER_WORK, clusterId);
      if (moved === true && cluster.stateName === 'IDLE') await wakeServices(uow, cluster);
    });
  };
  const request = (clusterId: string) => {
    const current = running.get(clusterId);
    if (current) {
      current.again = true;
      return;
    }
    const state = { again: false };
    running.set(clusterId, state);
    void (async () => {
      do {
        state.again = false;
        await sync(clusterId).catch((error) => log.warn('could not start or stop simulated nodes asked for by another replica', { clusterId, error: String(error) }));
      } while (state.again);
      running.delete(clusterId);
    })();
  };
  const unlisten = await store.listen(NODES_CHANNEL, (payload) => {
    if (/^[0-9a-f]{24}$/.test(payload)) request(payload);
  });
  await repositories(store.db).settings.set(HOST_SETTING, new Date().toISOString());
  return async () => {
    await unlisten();
    await repositories(store.db).settings.delete(HOST_SETTING);
  };
}
