// Starting whole simulated deployments: a replica set (member 0 primary, the rest secondaries,
// one listener each) or a set of mongos routers.
import type { TlsOptions } from 'node:tls';
import { startSimulatedMongod, type HorizonContext, type SimulatedMongod, type SimulatedNodeLog } from './simulated-mongod.js';
import type { Horizon } from './simulated-commands.js';

export interface NodeAddress {
  host: string;
  port: number;
}

interface CommonOptions {
  /** Where each node listens; default three (replica set) or one (mongos) on 127.0.0.1 port 0. */
  members?: Array<{ host?: string; port?: number }>;
  tls?: TlsOptions;
  proxyProtocol?: boolean;
  serverVersion?: string;
  log?: SimulatedNodeLog;
}

export interface SimulatedReplicaSetOptions extends CommonOptions {
  setName: string;
  setVersion?: number;
  /**
   * The `host:port` names members report by default, index-aligned with the members, computed
   * once every node is bound. Default: `{host}:{bound port}` of each member.
   */
  advertisedHosts?: (bound: NodeAddress[]) => string[];
  /**
   * The set's names as seen through the way in of one connection (e.g. the private endpoint
   * named by `context.vpceId` or `context.sni`), index-aligned with the members, or undefined
   * for the default names. Called on every hello; may change its answers at any time.
   */
  horizonFor?: (context: HorizonContext) => string[] | undefined;
}

export interface SimulatedDeployment {
  nodes: SimulatedMongod[];
  /** Bound address of each node, index-aligned with `nodes`. */
  bound: NodeAddress[];
  /** Stops every node. Idempotent. */
  stop(): Promise<void>;
}

export interface SimulatedReplicaSet extends SimulatedDeployment {
  setName: string;
  /** The default names, index-aligned with `nodes`. */
  defaultHosts: string[];
}

/** The horizon of member `index` in a set whose members are called `hosts` (member 0 is primary). */
function memberHorizon(hosts: string[], index: number): Horizon {
  const me = hosts[index];
  if (me === undefined) throw new RangeError(`member ${index} is not one of the ${hosts.length} hosts`);
  return { hosts, me, primary: hosts[0] };
}

/** Starts a replica set of simulated members. If one node fails to bind, the others are stopped and the error rethrown. */
export async function startSimulatedReplicaSet(options: SimulatedReplicaSetOptions): Promise<SimulatedReplicaSet> {
  const members = options.members ?? [{}, {}, {}];
  let defaultHosts: string[] = [];
  const nodes: SimulatedMongod[] = [];
  try {
    for (const [index, member] of members.entries()) {
      nodes.push(
        await startSimulatedMongod({
          kind: index === 0 ? 'primary' : 'secondary',
          host: member.host ?? '127.0.0.1',
          port: member.port ?? 0,
          setName: options.setName,
          ...(options.setVersion !== undefined ? { setVersion: options.setVersion } : {}),
          defaultHorizon: () => memberHorizon(defaultHosts, index),
          horizonFor: (context) => {
            const hosts = options.horizonFor?.(context);
            // A list that does not name every member would make the driver drop members: refuse it.
            return hosts && hosts.length === members.length ? memberHorizon(hosts, index) : undefined;
          },
          ...common(options),
        }),
      );
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  const bound = nodes.map((n) => ({ host: n.host, port: n.port }));
  defaultHosts = options.advertisedHosts ? options.advertisedHosts(bound) : bound.map(hostPort);
  return {
    setName: options.setName,
    nodes,
    bound,
    defaultHosts,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

/** Starts simulated mongos routers (they report no set; they answer `serviceId` to a load-balanced hello). */
export async function startSimulatedMongos(options: CommonOptions = {}): Promise<SimulatedDeployment> {
  const members = options.members ?? [{}];
  const nodes: SimulatedMongod[] = [];
  try {
    for (const member of members) {
      nodes.push(await startSimulatedMongod({ kind: 'mongos', host: member.host ?? '127.0.0.1', port: member.port ?? 0, ...common(options) }));
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  return {
    nodes,
    bound: nodes.map((n) => ({ host: n.host, port: n.port })),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}

function common(options: CommonOptions): Partial<Parameters<typeof startSimulatedMongod>[0]> {
  return {
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.proxyProtocol ? { proxyProtocol: true } : {}),
    ...(options.serverVersion ? { serverVersion: options.serverVersion } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
}

function hostPort(address: NodeAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
