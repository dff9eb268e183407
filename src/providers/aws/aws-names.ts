import { createHash } from 'node:crypto';

/** Names of what the AWS adapter creates; derived from privlink's endpoint service id only. */

/** Tag on everything the adapter creates: the privlink endpoint service it belongs to. */
export const SERVICE_TAG = 'privlink:endpoint-service-id';

/** `pl-<serviceId>`: 27 characters, within ELBv2's 32. */
export function loadBalancerName(serviceId: string): string {
  return `pl-${serviceId}`;
}

/** `pl-<12 hex of sha256(serviceId)>-<port>`: target group names (32 characters at most). */
export function targetGroupName(serviceId: string, port: number): string {
  return `${targetGroupPrefix(serviceId)}${port}`;
}

export function targetGroupPrefix(serviceId: string): string {
  return `pl-${createHash('sha256').update(serviceId).digest('hex').slice(0, 12)}-`;
}

/** ClientToken of CreateVpcEndpointServiceConfiguration (idempotency across a lost commit). */
export function serviceClientToken(serviceId: string): string {
  return `privlink-${serviceId}`;
}
