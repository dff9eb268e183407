import type { CloudProvider } from './regions.js';
import { serverlessGatewayKey, type PublicTopology } from './public-topology.js';

/**
 * The names of a serverless instance in privlink's private DNS zone `<hostSuffix>.<domain>` (pure):
 * - `mongodb+srv://<instance>.<suffix>.<domain>`: the instance's `standardSrv`, its public path
 *   (`serverlessPublicTopology`): SRV `_mongodb._tcp.<instance>.<suffix>.<domain>` → one target
 *   `<instance>-lb.<suffix>.<domain>:27017`, TXT `authSource=admin&loadBalanced=true`, the host
 *   resolving to the instance's own public gateway address;
 * - per AVAILABLE private endpoint `n`: SRV `_mongodb._tcp.<instance>-pe-<n>.<suffix>.<domain>` →
 *   one target `pe-<n>-<instance>.<suffix>.<domain>:27017`, and a TXT record
 *   `authSource=admin&loadBalanced=true` on `<instance>-pe-<n>.<suffix>.<domain>` (the instance is
 *   reached through a load-balanced front end, as Atlas's serverless proxies are).
 * Instance names are lower-cased (DNS is case-insensitive; Atlas's names are `[a-zA-Z0-9-]`).
 */

/** The target name of a serverless instance's one front-end node (where the simulated node runs). */
export const FRONT_END_TARGET = 'front-end';

/** The port the front end listens on behind every serverless private endpoint. */
export const SERVERLESS_PORT = 27017;

/** TXT options of a serverless private endpoint's SRV name. */
export const SERVERLESS_TXT = 'authSource=admin&loadBalanced=true';

/** `<instance>.<suffix>.<domain>` (the host of `standardSrv`). */
export function serverlessHost(instanceName: string, hostSuffix: string, domain: string): string {
  return `${instanceName.toLowerCase()}.${hostSuffix}.${domain}`;
}

/** `<instance>-pe-<n>.<suffix>.<domain>`: the SRV name of private endpoint `n`. */
export function serverlessSrvName(instanceName: string, peIndex: number, hostSuffix: string, domain: string): string {
  return `${instanceName.toLowerCase()}-pe-${peIndex}.${hostSuffix}.${domain}`;
}

/** `pe-<n>-<instance>.<suffix>.<domain>`: the one host the SRV record of endpoint `n` names. */
export function serverlessEndpointHost(instanceName: string, peIndex: number, hostSuffix: string, domain: string): string {
  return `pe-${peIndex}-${instanceName.toLowerCase()}.${hostSuffix}.${domain}`;
}

/** `<instance>-lb.<suffix>.<domain>`: the one host the SRV record of `standardSrv` names. */
export function serverlessPublicHost(instanceName: string, hostSuffix: string, domain: string): string {
  return `${instanceName.toLowerCase()}-lb.${hostSuffix}.${domain}`;
}

/** What `serverlessPublicTopology` needs of an instance. */
export interface ServerlessPublicInput {
  readonly projectId: string;
  readonly instanceId: string;
  readonly instanceName: string;
  readonly backingProvider: CloudProvider;
  readonly regionName: string;
  readonly hostSuffix: string;
  readonly domain: string;
}

/**
 * How a serverless instance is reached over the public path (pure), in the shape of a cluster's
 * (domain/public-topology.ts): a load-balanced `MONGOS` front end with one public host on port
 * 27017 at the instance's own gateway address (`serverlessGatewayKey`), the same TXT options as its
 * private-endpoint names. `standard` is the seed-list form of the same host; the Admin API does not
 * publish it (Atlas's serverless connection strings have `standardSrv` only).
 */
export function serverlessPublicTopology(input: ServerlessPublicInput): PublicTopology {
  const srvName = serverlessHost(input.instanceName, input.hostSuffix, input.domain);
  const host = serverlessPublicHost(input.instanceName, input.hostSuffix, input.domain);
  return {
    type: 'MONGOS',
    srvName,
    txt: SERVERLESS_TXT,
    hosts: [
      {
        host,
        port: SERVERLESS_PORT,
        targetName: FRONT_END_TARGET,
        provider: input.backingProvider,
        regionName: input.regionName,
        gateway: serverlessGatewayKey(input.projectId, input.instanceId),
      },
    ],
    standard: `mongodb://${host}:${SERVERLESS_PORT}/?ssl=true&${SERVERLESS_TXT}`,
    standardSrv: `mongodb+srv://${srvName}`,
  };
}
