/**
 * Names AWS derives from ids: endpoint service names, their DNS names, and VPC endpoint DNS
 * entries. Pure.
 */

/** `com.amazonaws.vpce.<region>.vpce-svc-<17hex>` */
export function endpointServiceName(region: string, serviceId: string): string {
  return `com.amazonaws.vpce.${region}.${serviceId}`;
}

/** `vpce-svc-<17hex>.<region>.vpce.amazonaws.com` (baseEndpointDnsNameSet). */
export function baseEndpointDnsName(region: string, serviceId: string): string {
  return `${serviceId}.${region}.vpce.amazonaws.com`;
}

/**
 * DNS names of an interface endpoint: the regional name first (the one Atlas asks for), then one
 * per AZ of its subnets: `vpce-<id>-<8>.vpce-svc-<id>.<region>.vpce.amazonaws.com` and
 * `vpce-<id>-<8>-<az>.vpce-svc-<id>.<region>.vpce.amazonaws.com`.
 */
export function endpointDnsNames(vpcEndpointId: string, dnsSuffix: string, serviceId: string, region: string, zones: readonly string[]): string[] {
  const base = `${serviceId}.${region}.vpce.amazonaws.com`;
  return [`${vpcEndpointId}-${dnsSuffix}.${base}`, ...zones.map((zone) => `${vpcEndpointId}-${dnsSuffix}-${zone}.${base}`)];
}
