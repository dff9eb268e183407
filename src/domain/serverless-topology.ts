/**
 * The names of a serverless instance in privlink's private DNS zone `<hostSuffix>.<domain>` (pure):
 * - `mongodb+srv://<instance>.<suffix>.<domain>`: the instance's `standardSrv` (named as Atlas
 *   names it; privlink serves no public endpoint, so the name has no records);
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
