import { simulatedNodeTargets, type AddressableTarget } from '../../domain/cluster.js';
import { replicaSetName } from '../../domain/private-endpoint-topology.js';
import { FRONT_END_TARGET } from '../../domain/serverless-topology.js';
import type { Logger } from '../../logging/logger.js';
import type { ClusterRecord } from '../../domain/cluster.js';
import type { LocalCertificateAuthority } from '../dataplane/certificates.js';
import type { SnapshotProxyTlv } from '../common/data-plane-snapshot.js';
import type { OpenFileBudget } from '../dataplane/open-file-budget.js';
import { startSimulatedMongod, type HorizonContext, type SimulatedMongod, type SimulatedUser } from '../dataplane/simulated-mongod.js';
import { endpointTlvOf } from '../gateway/endpoint-tlv.js';
import { electionIdOfTerm } from '../dataplane/simulated-commands.js';
import type { SimulatedNodeState, SimulatedNodeStatus } from '../dataplane-host/data-plane-protocol.js';

/**
 * Looks up the horizon a node answers in for one connection (see app/node-horizons.ts): `via`
 * names the private endpoint the connection came through (AWS `vpce-…`, Azure private endpoint
 * resource id, GCP forwarding rule path) and/or the TLS server name the client dialled; `public`
 * says it came through the public gateway (a PROXY header without an endpoint TLV).
 */
export type HorizonLookup = (
  clusterId: string,
  targetName: string,
  via: { endpointId?: string; sni?: string; public?: boolean },
) => Promise<{ hosts: string[]; me: string; primary?: string; targets?: string[] } | undefined>;

/**
 * Looks up the database user `username` who may log in to the deployment `deploymentId` (a
 * cluster's or serverless instance's id): a user of its project, not expired, within its scopes.
 */
export type UserLookup = (deploymentId: string, username: string) => Promise<SimulatedUser | undefined>;

/** The AWS VPC endpoint id is the endpoint id itself; other clouds' TLVs need a lookup (`endpointIdOf`). */
const awsOnly = (tlv: SnapshotProxyTlv): string | undefined => (tlv.kind === 'aws-vpce-id' ? tlv.vpceId : undefined);

/** What the runtime needs to run a serverless instance's front end. */
export interface ServerlessFrontEnd {
  readonly id: string;
  readonly name: string;
  /** `<major>.<minor>.<patch>`. */
  readonly mongoDBVersion: string;
}

interface RunningNode {
  readonly target: AddressableTarget;
  readonly node: SimulatedMongod;
}

/** A replica set's election state: the term (electionId) and the member that is primary in it. */
interface Election {
  term: number;
  primary: string | undefined;
}

/**
 * Runs the local cloud's **simulated** MongoDB nodes: one small wire-protocol service per
 * addressable target (mongod of a replica set, mongos of a sharded cluster) on 127.0.0.1 and a
 * free port. They store nothing; they answer `hello`/`ping`/`buildInfo`/`endSessions` so the
 * official driver can connect through a private endpoint. Every node reads the PROXY v2 header the
 * gateway sends, takes TLS or plaintext on the same port (TLS with a certificate from the local
 * CA for the name the client dialled), and answers in the horizon of the endpoint the client came
 * through. Clusters naming real targets (`privlinkTargets`) and shared tiers get no nodes.
 * Node addresses live in memory: nodes are restarted (on new ports) with the process, and the
 * endpoint services re-register them as load-balancer targets.
 */
export class SimulatedClusterRuntime {
  private readonly clusters = new Map<string, RunningNode[]>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly elections = new Map<string, Election>();

  constructor(
    private readonly options: {
      readonly ca: LocalCertificateAuthority;
      readonly horizon: HorizonLookup;
      /**
       * The project's database users. Every node runs with access control and authenticates
       * against them (SCRAM); absent, nobody can log in and only the handshake and ping work.
       */
      readonly user?: UserLookup;
      readonly log: Logger;
      /**
       * The endpoint id a connection's PROXY TLV names (the data-plane worker resolves Azure
       * LinkIDs and PSC connection ids through its latest snapshot). Default: AWS ids only.
       */
      readonly endpointIdOf?: (tlv: SnapshotProxyTlv) => string | undefined;
      /** The data plane's open-file budget, shared with its other parts: a node's listener and connections count in it. */
      readonly budget?: OpenFileBudget;
    },
  ) {}

  /** Starts (or re-shapes) the nodes of a cluster. Resolves true when node addresses changed. */
  ensure(cluster: ClusterRecord): Promise<boolean> {
    return this.serialised(cluster.id, () => this.ensureNow(cluster));
  }

  /**
   * Starts the one simulated front end of a serverless instance (idempotent): a mongos-like node
   * that answers `hello` as Atlas's serverless proxies do (`msg: "isdbgrid"`, and a `serviceId` to
   * a load-balanced hello), behind the PROXY v2 header the gateway sends. Resolves true when it
   * was (re)started. Stopped with `remove(instance id)`.
   */
  ensureFrontEnd(instance: ServerlessFrontEnd): Promise<boolean> {
    return this.serialised(instance.id, async () => {
      if ((this.clusters.get(instance.id) ?? []).length > 0) return false;
      const internal = `${instance.name.toLowerCase()}-${FRONT_END_TARGET}.${instance.id}.privlink.internal:27017`;
      const node = await startSimulatedMongod({
        ...(this.options.budget ? { budget: this.options.budget } : {}),
        kind: 'mongos',
        host: '127.0.0.1',
        port: 0,
        serverVersion: instance.mongoDBVersion,
        // Load-balanced drivers ignore the names a mongos reports; it reports its internal name.
        defaultHorizon: { hosts: [internal], me: internal },
        proxyProtocol: true,
        tls: { SNICallback: this.options.ca.sniCallback() },
        tlsOptional: true,
        users: this.usersOf(instance.id),
      });
      const target: AddressableTarget = { kind: 'mongos', provider: 'AWS', regionName: '', name: FRONT_END_TARGET };
      this.clusters.set(instance.id, [{ target, node }]);
      this.options.log.info('simulated serverless front end running (it stores nothing)', { instanceId: instance.id, instance: instance.name, node: `${node.host}:${node.port}` });
      return true;
    });
  }

  /** Stops the nodes of a cluster (idempotent). */
  async remove(clusterId: string): Promise<void> {
    await this.serialised(clusterId, async () => {
      const nodes = this.clusters.get(clusterId) ?? [];
      this.clusters.delete(clusterId);
      this.elections.delete(clusterId);
      await Promise.all(nodes.map((n) => n.node.stop()));
      if (nodes.length > 0) this.options.log.info('simulated nodes stopped', { clusterId, nodes: nodes.length });
    });
  }

  /**
   * The node fault switch: takes one node of a cluster down (its port resets every connection)
   * or brings it back. A replica set then behaves as a real one: when the primary goes, the first
   * remaining member (in target order) is elected in a new term (a higher electionId; setVersion
   * stays, the configuration did not change) if a majority of members is up, else the set has no
   * primary; a member that comes back rejoins as a secondary. Resolves with the cluster's nodes.
   */
  setNodeState(clusterId: string, targetName: string, state: SimulatedNodeState): Promise<SimulatedNodeStatus[]> {
    return this.serialised(clusterId, async () => {
      const nodes = this.clusters.get(clusterId) ?? [];
      const running = nodes.find((n) => n.target.name === targetName);
      if (!running) throw new Error(`no simulated node ${targetName} of cluster ${clusterId} runs here`);
      const election = this.elections.get(clusterId);
      if (state === 'DOWN') running.node.setDown(true);
      else if (running.node.isDown) running.node.setDown(false, running.target.kind === 'mongos' ? undefined : 'secondary');
      if (election && running.target.kind === 'mongod') this.elect(clusterId, nodes, election);
      this.options.log.info(`simulated node ${state === 'DOWN' ? 'taken down' : 'brought up'}`, { clusterId, node: targetName, primary: election?.primary ?? null });
      return nodes.map((n) => statusOf(n, election));
    });
  }

  /** Where a target's simulated node listens, if it runs. */
  addressOf(clusterId: string, targetName: string): { host: string; port: number } | undefined {
    const node = this.clusters.get(clusterId)?.find((n) => n.target.name === targetName)?.node;
    return node ? { host: node.host, port: node.port } : undefined;
  }

  /** Where every running node of a cluster listens, by target name (empty when none runs). */
  addressesOf(clusterId: string): Record<string, { host: string; port: number }> {
    const out: Record<string, { host: string; port: number }> = {};
    for (const { target, node } of this.clusters.get(clusterId) ?? []) out[target.name] = { host: node.host, port: node.port };
    return out;
  }

  /** Stops every node. */
  async close(): Promise<void> {
    await Promise.all([...this.clusters.keys()].map((id) => this.remove(id)));
  }

  private async ensureNow(cluster: ClusterRecord): Promise<boolean> {
    const wanted = simulatedNodeTargets(cluster.spec);
    const running = this.clusters.get(cluster.id) ?? [];
    const same = running.length === wanted.length && wanted.every((t) => running.some((r) => r.target.name === t.name && r.target.kind === t.kind));
    if (same) return false;
    await Promise.all(running.map((r) => r.node.stop()));
    const setName = replicaSetName(cluster.id);
    const internal = (t: AddressableTarget) => `${cluster.name.toLowerCase()}-${t.name}.${cluster.id}.privlink.internal:27017`;
    const primary = wanted.find((t) => t.kind === 'mongod');
    const election: Election = { term: 1, primary: primary?.name };
    const memberTargets = wanted.filter((t) => t.kind === 'mongod');
    const nodes: RunningNode[] = [];
    // The nodes run before are stopped: a start that fails part way (a bind error, the open-file
    // budget spent) stops those it started and leaves the cluster with none, to be made again.
    this.clusters.delete(cluster.id);
    try {
      for (const target of wanted) {
        const node = await startSimulatedMongod({
          ...(this.options.budget ? { budget: this.options.budget } : {}),
          kind: target.kind === 'mongos' ? 'mongos' : target === primary ? 'primary' : 'secondary',
          host: '127.0.0.1',
          port: 0,
          ...(target.kind === 'mongod' ? { setName } : {}),
          serverVersion: `${cluster.spec.mongoDBMajorVersion}.0`,
          // Reached directly (not through an endpoint) a node reports internal names nobody can resolve, as Atlas's do.
          defaultHorizon: {
            hosts: memberTargets.map(internal),
            me: internal(target),
            ...(primary ? { primary: internal(primary) } : {}),
            targets: memberTargets.map((t) => t.name),
          },
          ...(target.kind === 'mongod' ? { primaryTarget: () => election.primary } : {}),
          horizonForConnection: (context: HorizonContext) => {
            const tlv = context.proxy ? endpointTlvOf(context.proxy) : undefined;
            const endpointId = tlv ? (this.options.endpointIdOf ?? awsOnly)(tlv) : undefined;
            // A PROXY header without an endpoint's TLV comes from the public gateway.
            const viaPublic = context.proxy !== undefined && tlv === undefined;
            return this.options.horizon(cluster.id, target.name, {
              ...(endpointId ? { endpointId } : {}),
              ...(context.sni ? { sni: context.sni } : {}),
              ...(viaPublic ? { public: true } : {}),
            });
          },
          proxyProtocol: true,
          tls: { SNICallback: this.options.ca.sniCallback() },
          tlsOptional: true,
          users: this.usersOf(cluster.id),
        });
        nodes.push({ target, node });
      }
    } catch (error) {
      await Promise.all(nodes.map((n) => n.node.stop()));
      throw error;
    }
    this.clusters.set(cluster.id, nodes);
    if (primary) this.elections.set(cluster.id, election);
    else this.elections.delete(cluster.id);
    if (nodes.length > 0 || running.length > 0) {
      this.options.log.info('simulated nodes running (they store nothing)', {
        clusterId: cluster.id,
        cluster: cluster.name,
        nodes: nodes.map((n) => `${n.target.name}@${n.node.host}:${n.node.port}`),
      });
    }
    return true;
  }

  /** Keeps (or makes) a primary among the members that are up, as a replica set's election would. */
  private elect(clusterId: string, nodes: readonly RunningNode[], election: Election): void {
    const members = nodes.filter((n) => n.target.kind === 'mongod');
    const up = members.filter((n) => !n.node.isDown);
    const majority = up.length * 2 > members.length;
    const current = up.find((n) => n.target.name === election.primary);
    const primary = majority ? (current ?? up[0]) : undefined;
    if (primary?.target.name !== election.primary) {
      if (primary) election.term += 1;
      election.primary = primary?.target.name;
    }
    const electionId = electionIdOfTerm(election.term);
    for (const member of up) member.node.setRole(member === primary ? 'primary' : 'secondary', member === primary ? electionId : undefined);
    this.options.log.info('simulated replica set election state', { clusterId, term: election.term, primary: election.primary ?? null });
  }

  /** The user lookup of one deployment's nodes (the same on every node of it). */
  private usersOf(deploymentId: string): (username: string) => Promise<SimulatedUser | undefined> {
    const lookup = this.options.user;
    return lookup ? (username) => lookup(deploymentId, username) : async () => undefined;
  }

  private serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.locks.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}

function statusOf(running: RunningNode, election: Election | undefined): SimulatedNodeStatus {
  const up = !running.node.isDown;
  const role = running.target.kind === 'mongos' ? 'MONGOS' : up && election?.primary === running.target.name ? 'PRIMARY' : 'SECONDARY';
  return { name: running.target.name, state: up ? 'UP' : 'DOWN', role };
}
