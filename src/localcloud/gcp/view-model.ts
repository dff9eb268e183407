/**
 * The Compute emulator's own read model for the data plane: what a later step maps to the
 * neutral data-plane snapshot. Everything at one instant, visible resources only (inserted and
 * not yet deleted). Links are resource paths (`projects/p/regions/r/forwardingRules/x`), stable
 * across restarts; ids are Compute's decimal ids.
 */
export interface GcpView {
  readonly takenAt: Date;
  /** When a pending insert or delete next becomes visible (take a new view then), or null. */
  readonly nextTransitionAt: Date | null;
  readonly networks: readonly GcpNetworkView[];
  readonly firewalls: readonly GcpFirewallView[];
  readonly internalLoadBalancers: readonly GcpInternalLoadBalancerView[];
  readonly serviceAttachments: readonly GcpServiceAttachmentView[];
  readonly pscEndpoints: readonly GcpPscEndpointView[];
}

interface Named {
  /** The resource path. */
  readonly path: string;
  readonly id: string;
  readonly project: string;
  readonly name: string;
}

export interface GcpSubnetworkView extends Named {
  readonly region: string;
  readonly ipCidrRange: string;
  readonly purpose: 'PRIVATE' | 'PRIVATE_SERVICE_CONNECT';
}

export interface GcpNetworkView extends Named {
  readonly subnetworks: readonly GcpSubnetworkView[];
}

export interface GcpFirewallView extends Named {
  readonly network: string;
  readonly direction: 'INGRESS' | 'EGRESS';
  readonly priority: number;
  readonly action: 'allow' | 'deny';
  /** `[{IPProtocol, ports}]`: protocol names in lower case (`tcp`, `all`), ports as `"80"` or `"1000-2000"` (empty: all). */
  readonly rules: ReadonlyArray<{ readonly IPProtocol: string; readonly ports: readonly string[] }>;
  readonly sourceRanges: readonly string[];
  readonly destinationRanges: readonly string[];
  /** The instances the rule applies to, by network tag (empty: every instance of the network). */
  readonly targetTags: readonly string[];
  readonly disabled: boolean;
}

/** A target of an internal load balancer: an endpoint of a backend's network endpoint group. */
export interface GcpTargetView {
  readonly ipAddress: string;
  /** The endpoint's port, else its group's default port, else null (passthrough: the port the client dialled). */
  readonly port: number | null;
  /** The port clients dial that reaches this endpoint (GCE_VM_IP_PORTMAP groups), else null. */
  readonly clientDestinationPort: number | null;
  readonly group: string;
  readonly groupType: 'GCE_VM_IP_PORT' | 'NON_GCP_PRIVATE_IP_PORT' | 'GCE_VM_IP_PORTMAP';
}

export interface GcpInternalLoadBalancerView extends Named {
  readonly region: string;
  readonly network: string;
  readonly subnetwork: string;
  readonly ipAddress: string;
  /** The ports the rule forwards; null with `allPorts`. */
  readonly ports: readonly number[] | null;
  readonly backendService: string;
  readonly targets: readonly GcpTargetView[];
}

export interface GcpConnectedEndpointView {
  /** The consumer's forwarding rule. */
  readonly endpoint: string;
  readonly pscConnectionId: string;
  readonly status: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'CLOSED';
  readonly consumerNetwork: string;
}

export interface GcpServiceAttachmentView extends Named {
  readonly region: string;
  /** The producer's internal forwarding rule. */
  readonly targetService: string;
  readonly connectionPreference: 'ACCEPT_AUTOMATIC' | 'ACCEPT_MANUAL';
  readonly enableProxyProtocol: boolean;
  readonly natSubnets: readonly string[];
  readonly connectedEndpoints: readonly GcpConnectedEndpointView[];
}

export interface GcpPscEndpointView extends Named {
  readonly region: string;
  readonly ipAddress: string;
  readonly network: string;
  readonly subnetwork: string;
  /** The service attachment it targets (it may be gone: then the status is CLOSED). */
  readonly target: string;
  readonly pscConnectionId: string;
  readonly status: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'CLOSED';
}
