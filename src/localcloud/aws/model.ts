import type { Tag } from './query-params.js';

/**
 * The emulated resources as the actions see them (camelCase; the store maps snake_case rows).
 * Every resource belongs to one account and one region.
 */

export type { Tag };

/** An account of the local cloud: its id and SigV4 credentials. */
export interface Account {
  readonly accountId: string;
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface Owned {
  readonly accountId: string;
  readonly region: string;
  /** Insertion order; listings and page tokens use it. */
  readonly seq: number;
  readonly createdAt: Date;
}

export interface Vpc extends Owned {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  /** Stable loopback slot (see loopback.ts). */
  readonly slot: number;
  readonly mainRouteTableId: string;
  readonly dhcpOptionsId: string;
  readonly tags: readonly Tag[];
}

export interface Subnet extends Owned {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly cidrBlock: string;
  readonly defaultForAz: boolean;
  readonly mapPublicIpOnLaunch: boolean;
  readonly tags: readonly Tag[];
}

export interface SecurityGroup extends Owned {
  readonly groupId: string;
  readonly vpcId: string;
  readonly groupName: string;
  readonly description: string;
  readonly tags: readonly Tag[];
}

/** One security group rule; `ipProtocol` '-1' means all protocols (ports then null). */
export interface SecurityGroupRule {
  readonly ruleId: string;
  readonly seq: number;
  readonly groupId: string;
  readonly isEgress: boolean;
  readonly ipProtocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  readonly cidrIpv4: string | null;
  readonly referencedGroupId: string | null;
  readonly description: string | null;
}

/** A network interface owned by a VPC endpoint or a network load balancer. */
export interface NetworkInterface extends Owned {
  readonly networkInterfaceId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly privateIp: string;
  readonly ownerKind: 'vpc_endpoint' | 'network_load_balancer';
  readonly ownerId: string;
  readonly description: string;
}

/** Stored timing of stateful rows (see transitions.ts). */
export interface Timed<S extends string> {
  readonly state: S;
  readonly nextState: string | null;
  readonly nextStateAt: Date | null;
}

export type LoadBalancerState = 'provisioning' | 'active' | 'failed';

export interface LoadBalancerSubnet {
  readonly subnetId: string;
  readonly zoneName: string;
  readonly zoneId: string;
}

export interface LoadBalancer extends Owned, Timed<LoadBalancerState> {
  readonly arn: string;
  readonly name: string;
  readonly type: 'network';
  readonly scheme: 'internal' | 'internet-facing';
  readonly ipAddressType: string;
  readonly vpcId: string;
  readonly dnsName: string;
  readonly subnets: readonly LoadBalancerSubnet[];
  readonly securityGroups: readonly string[];
  readonly tags: readonly Tag[];
}

export interface HealthCheck {
  readonly protocol: string;
  readonly port: string;
  readonly enabled: boolean;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThresholdCount: number;
  readonly unhealthyThresholdCount: number;
}

export interface TargetGroup extends Owned {
  readonly arn: string;
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
  readonly vpcId: string;
  readonly targetType: 'ip' | 'instance';
  readonly ipAddressType: string;
  readonly healthCheck: HealthCheck;
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: readonly Tag[];
}

export interface Target {
  readonly targetGroupArn: string;
  readonly seq: number;
  readonly targetId: string;
  readonly port: number;
  readonly availabilityZone: string | null;
  readonly registeredAt: Date;
}

export interface Listener extends Owned {
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly port: number;
  readonly protocol: string;
  readonly targetGroupArn: string;
  readonly tags: readonly Tag[];
}

export type ServiceState = 'Pending' | 'Available' | 'Deleting' | 'Deleted' | 'Failed';

export interface EndpointService extends Owned, Timed<ServiceState> {
  readonly serviceId: string;
  readonly serviceName: string;
  /** When the service became Available (starts the CreateVpcEndpoint 503 window); null before. */
  readonly availableAt: Date | null;
  readonly acceptanceRequired: boolean;
  readonly loadBalancerArns: readonly string[];
  readonly privateDnsName: string | null;
  readonly supportedIpAddressTypes: readonly string[];
  readonly tags: readonly Tag[];
}

export interface ServicePermission {
  readonly serviceId: string;
  readonly principal: string;
  readonly permissionId: string;
  readonly createdAt: Date;
}

export type EndpointState = 'pendingAcceptance' | 'pending' | 'available' | 'rejected' | 'deleting' | 'deleted' | 'failed' | 'expired';

export interface VpcEndpoint extends Owned, Timed<EndpointState> {
  readonly vpcEndpointId: string;
  readonly vpcId: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly endpointType: 'Interface';
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly dnsSuffix: string;
  readonly privateDnsEnabled: boolean;
  readonly ipAddressType: string;
  readonly tags: readonly Tag[];
}

/**
 * AWS's VPC peering status codes. A request is `initiating-request` only in the answer to
 * CreateVpcPeeringConnection (stored as `pending-acceptance` or `failed`), and an accepted one
 * `provisioning` only in the answer to AcceptVpcPeeringConnection (stored as `active`).
 */
export type VpcPeeringStatus = 'initiating-request' | 'pending-acceptance' | 'provisioning' | 'active' | 'rejected' | 'deleted' | 'failed' | 'expired';

/** A VPC peering connection between a requester VPC and an accepter VPC (either account, either region). */
export interface VpcPeering {
  readonly peeringId: string;
  readonly seq: number;
  readonly requesterAccountId: string;
  readonly requesterRegion: string;
  readonly requesterVpcId: string;
  readonly accepterAccountId: string;
  readonly accepterRegion: string;
  readonly accepterVpcId: string;
  readonly status: VpcPeeringStatus;
  readonly message: string;
  readonly tags: readonly Tag[];
  readonly createdAt: Date;
  /** A request not accepted by then expires (AWS: 7 days). */
  readonly expiresAt: Date;
  /** When the status last changed (deleted, rejected and failed connections stay visible for a while after). */
  readonly changedAt: Date;
}

/** A route a customer added to a VPC's main route table, to a VPC peering connection. */
export interface Route {
  readonly routeTableId: string;
  readonly destinationCidr: string;
  readonly vpcPeeringConnectionId: string;
  readonly createdAt: Date;
}

/**
 * privlink extension: an on-premises network attached to a VPC by a Direct-Connect-like link, through a
 * virtual private gateway (`vgw-…`) that propagates the network's CIDR into the VPC's main route
 * table. Its hosts are on loopback slot `slot`, like a VPC's.
 */
export interface OnPremisesNetwork {
  readonly gatewayId: string;
  readonly seq: number;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly slot: number;
  readonly amazonSideAsn: number;
  readonly tags: readonly Tag[];
  readonly createdAt: Date;
}
