import type { EndpointState, LoadBalancerState, ServiceState } from './model.js';

/**
 * The read model the data plane builds its listeners from: every load balancer with its
 * listeners → target groups → targets, every endpoint service and VPC endpoint with their
 * network interfaces, security groups and rules, all VPCs with their loopback slots. Taken at
 * one instant (lazy transitions advanced to it). Private addresses come with the loopback address
 * the data plane binds or dials for them (see loopback.ts).
 */
export interface DataPlaneSnapshot {
  readonly takenAt: Date;
  /**
   * The earliest time a pending transition (e.g. `pending` → `available`) becomes due, or null.
   * Lazy transitions fire no event: take a new snapshot then.
   */
  readonly nextTransitionAt: Date | null;
  readonly loopbackBase: number;
  readonly vpcs: readonly SnapshotVpc[];
  readonly securityGroups: readonly SnapshotSecurityGroup[];
  readonly loadBalancers: readonly SnapshotLoadBalancer[];
  readonly endpointServices: readonly SnapshotEndpointService[];
  readonly vpcEndpoints: readonly SnapshotVpcEndpoint[];
}

/** Where a data plane gets snapshots from: the local cloud itself, or snapshots posted to another thread. */
export interface SnapshotSource {
  /** The state now. */
  snapshot(): Promise<DataPlaneSnapshot>;
  /** Calls `listener` after a change that may affect the snapshot; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** The addresses of a VPC endpoint's network interfaces while it forwards (for private DNS A records); else empty. */
export function forwardingAddresses(snapshot: DataPlaneSnapshot | undefined, vpcEndpointId: string): string[] {
  const endpoint = snapshot?.vpcEndpoints.find((e) => e.vpcEndpointId === vpcEndpointId && e.forwarding);
  return endpoint ? endpoint.networkInterfaces.map((eni) => eni.loopbackAddress) : [];
}

export interface SnapshotVpc {
  readonly vpcId: string;
  readonly accountId: string;
  readonly region: string;
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  /** Stable slot n; the VPC's addresses map into `127.<loopbackBase + n>.0.0/16`. */
  readonly slot: number;
}

/** A network interface (of a VPC endpoint or a load balancer) and where it lives on loopback. */
export interface SnapshotNetworkInterface {
  readonly networkInterfaceId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly privateIp: string;
  readonly loopbackAddress: string;
}

export interface SnapshotSecurityGroupRule {
  /** `-1` (all), `tcp`, `udp` or `icmp`. */
  readonly ipProtocol: string;
  /** Null when the rule covers all ports. */
  readonly fromPort: number | null;
  readonly toPort: number | null;
  /** Exactly one of cidrIpv4 and referencedGroupId is set. */
  readonly cidrIpv4: string | null;
  readonly referencedGroupId: string | null;
}

export interface SnapshotSecurityGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  readonly accountId: string;
  readonly region: string;
  readonly ingress: readonly SnapshotSecurityGroupRule[];
  readonly egress: readonly SnapshotSecurityGroupRule[];
}

export interface SnapshotTarget {
  /** The registered IP (ip targets) or instance id. */
  readonly id: string;
  readonly port: number;
  readonly availabilityZone: string | null;
  /** Loopback address of an IP target inside the target group's VPC; null for others. */
  readonly loopbackAddress: string | null;
}

export interface SnapshotTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
  readonly targetType: 'ip' | 'instance';
  readonly vpcId: string;
  /** `proxy_protocol_v2.enabled`: send a PROXY v2 header with the VPC endpoint id TLV (0xEA/0x01). */
  readonly proxyProtocolV2: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  readonly targets: readonly SnapshotTarget[];
}

export interface SnapshotListener {
  readonly arn: string;
  readonly port: number;
  readonly protocol: string;
  readonly targetGroup: SnapshotTargetGroup;
}

export interface SnapshotLoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly scheme: 'internal' | 'internet-facing';
  /** Only `active` load balancers carry traffic. */
  readonly state: LoadBalancerState;
  readonly dnsName: string;
  readonly securityGroupIds: readonly string[];
  /** One per subnet/AZ. */
  readonly networkInterfaces: readonly SnapshotNetworkInterface[];
  readonly listeners: readonly SnapshotListener[];
}

export interface SnapshotEndpointService {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly accountId: string;
  readonly region: string;
  readonly state: ServiceState;
  readonly acceptanceRequired: boolean;
  readonly loadBalancerArns: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly allowedPrincipals: readonly string[];
}

export interface SnapshotVpcEndpoint {
  readonly vpcEndpointId: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly serviceId: string;
  readonly serviceName: string;
  /** The connection state, the same on both sides (pendingAcceptance, pending, available, rejected, …). */
  readonly state: EndpointState;
  /** True when traffic may flow: the endpoint is `available` and its service still exists. */
  readonly forwarding: boolean;
  readonly securityGroupIds: readonly string[];
  /** One per subnet; the data plane listens on their loopback addresses. */
  readonly networkInterfaces: readonly SnapshotNetworkInterface[];
  /** Regional name first, then one per AZ. */
  readonly dnsNames: readonly string[];
}
