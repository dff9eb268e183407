/**
 * The Azure emulator's own read model for the data plane: what a later step maps to the neutral
 * data-plane snapshot. Everything at one instant (due transitions advanced first). Resources being
 * deleted are included with provisioningState `Deleting`.
 */
export interface AzureView {
  readonly takenAt: Date;
  /** When the next lazy transition becomes due (take a new view then), or null. */
  readonly nextTransitionAt: Date | null;
  readonly virtualNetworks: readonly AzureVirtualNetworkView[];
  readonly networkSecurityGroups: readonly AzureNetworkSecurityGroupView[];
  readonly loadBalancers: readonly AzureLoadBalancerView[];
  readonly privateLinkServices: readonly AzurePrivateLinkServiceView[];
  readonly privateEndpoints: readonly AzurePrivateEndpointView[];
}

interface Located {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly location: string;
  readonly provisioningState: string;
}

export interface AzureVirtualNetworkView extends Located {
  readonly addressPrefixes: readonly string[];
  readonly subnets: readonly AzureSubnetView[];
}

export interface AzureSubnetView {
  readonly id: string;
  readonly name: string;
  readonly addressPrefix: string;
  readonly networkSecurityGroupId: string | null;
  readonly privateEndpointNetworkPolicies: string;
  readonly privateLinkServiceNetworkPolicies: string;
}

export interface AzureSecurityRuleView {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: string;
  /** Single and list forms merged. */
  readonly sourceAddressPrefixes: readonly string[];
  readonly destinationAddressPrefixes: readonly string[];
  readonly sourcePortRanges: readonly string[];
  readonly destinationPortRanges: readonly string[];
}

export interface AzureNetworkSecurityGroupView extends Located {
  /** The group's own rules, by priority; Azure's defaults (65000–65500) follow them implicitly. */
  readonly securityRules: readonly AzureSecurityRuleView[];
}

export interface AzureLoadBalancerView extends Located {
  readonly frontends: ReadonlyArray<{ readonly id: string; readonly name: string; readonly subnetId: string; readonly privateIpAddress: string }>;
  readonly backendPools: ReadonlyArray<{ readonly id: string; readonly name: string; readonly addresses: ReadonlyArray<{ readonly name: string; readonly ipAddress: string }> }>;
  readonly rules: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly frontendId: string;
    readonly backendPoolId: string | null;
    readonly protocol: string;
    readonly frontendPort: number;
    readonly backendPort: number;
  }>;
  readonly inboundNatRules: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly frontendId: string;
    readonly protocol: string;
    readonly frontendPort: number | null;
    readonly backendPort: number;
  }>;
}

export interface AzurePrivateEndpointConnectionView {
  readonly id: string;
  readonly name: string;
  readonly privateEndpointId: string;
  readonly linkIdentifier: string;
  readonly status: 'Pending' | 'Approved' | 'Rejected' | 'Disconnected';
  readonly description: string;
}

export interface AzurePrivateLinkServiceView extends Located {
  readonly alias: string;
  readonly loadBalancerFrontendIds: readonly string[];
  /** The NAT (source) addresses in the provider's subnet. */
  readonly natIpAddresses: readonly string[];
  readonly enableProxyProtocol: boolean;
  readonly fqdns: readonly string[];
  readonly visibilitySubscriptions: readonly string[];
  readonly autoApprovalSubscriptions: readonly string[];
  readonly connections: readonly AzurePrivateEndpointConnectionView[];
}

export interface AzurePrivateEndpointView extends Located {
  readonly subnetId: string;
  readonly networkInterfaceId: string;
  readonly privateIpAddress: string;
  /** The private link service's id (resolved from an alias if the consumer gave one). */
  readonly privateLinkServiceId: string;
  readonly connectionName: string;
  readonly manual: boolean;
  /** Mirrors the connection on the service; Disconnected once the owner removed it. */
  readonly status: 'Pending' | 'Approved' | 'Rejected' | 'Disconnected';
  readonly linkIdentifier: string | null;
}
