// Atlas's private endpoint bodies (Admin API v2, `privateEndpoint` paths), one variant per cloud,
// discriminated on `cloudProvider` as the spec's `EndpointService`, `PrivateLinkEndpoint` and
// `CreateEndpointRequest` discriminators are. privlink produces the AWS variants; the Azure and
// GCP ones are the shapes their adapters will produce.
import type { CloudProviderWire } from './common.wire.js';

/** Endpoint service `status` (all clouds). `WAITING_FOR_USER` is Atlas's legacy AWS wording; privlink reports AVAILABLE. */
export type EndpointServiceStatusWire = 'INITIATING' | 'AVAILABLE' | 'WAITING_FOR_USER' | 'FAILED' | 'DELETING';

/** What every endpoint service variant has (`EndpointService`). */
interface EndpointServiceBaseWire {
  /** `null` when the last request succeeded. */
  readonly errorMessage: string | null;
  /** 24-hex id of the endpoint service. */
  readonly id: string;
  /** Atlas region name, e.g. `US_EAST_1`. */
  readonly regionName: string;
  readonly status: EndpointServiceStatusWire;
}

/** `AWSPrivateLinkConnection`: an AWS PrivateLink endpoint service. */
export interface AWSPrivateLinkConnectionWire extends EndpointServiceBaseWire {
  readonly cloudProvider: 'AWS';
  /** `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`; `null` while Atlas creates the service. */
  readonly endpointServiceName: string | null;
  /** Ids of the interface endpoints (`vpce-…`) added to this service. */
  readonly interfaceEndpoints: readonly string[];
  /** AWS regions the service supports (cross-region); `null` when only its own. */
  readonly supportedRemoteRegions: readonly string[] | null;
}

/** `AzurePrivateLinkConnection`: an Azure Private Link Service. */
export interface AzurePrivateLinkConnectionWire extends EndpointServiceBaseWire {
  readonly cloudProvider: 'AZURE';
  /** Resource ids (`/subscriptions/…/privateEndpoints/…`) of the private endpoints assigned to it. */
  readonly privateEndpoints: readonly string[];
  /** `pls_<24 hex>`; null until the service is made (INITIATING). */
  readonly privateLinkServiceName: string | null;
  /** `/subscriptions/…/providers/Microsoft.Network/privateLinkServices/pls_…`: what a VNet's private endpoint connects to; null until made. */
  readonly privateLinkServiceResourceId: string | null;
}

/** `GCPEndpointService`: a Private Service Connect endpoint service. */
export interface GCPEndpointServiceWire extends EndpointServiceBaseWire {
  readonly cloudProvider: 'GCP';
  /** Network endpoint groups of this service (one when port-mapped). */
  readonly endpointGroupNames: readonly string[];
  readonly portMappingEnabled: boolean;
  /** Service attachment URLs (one when port-mapped). */
  readonly serviceAttachmentNames: readonly string[];
}

/** `EndpointService`: one of the three, by `cloudProvider`. */
export type EndpointServiceWire = AWSPrivateLinkConnectionWire | AzurePrivateLinkConnectionWire | GCPEndpointServiceWire;

/**
 * `AWSInterfaceEndpoint` `connectionStatus`. The spec lists PENDING_ACCEPTANCE … DELETING; Atlas
 * also answers `NONE` before AWS reports the connection (the Terraform provider waits through it).
 */
export type AWSConnectionStatusWire = 'NONE' | 'PENDING_ACCEPTANCE' | 'PENDING' | 'AVAILABLE' | 'REJECTED' | 'DELETING';

/** What every private endpoint variant has (`PrivateLinkEndpoint`). */
interface PrivateLinkEndpointBaseWire {
  /** True once Atlas was asked to remove the endpoint from the service. */
  readonly deleteRequested: boolean;
  /** `null` when the last request succeeded. */
  readonly errorMessage: string | null;
}

/** `AWSInterfaceEndpoint`: a customer's VPC interface endpoint added to an AWS endpoint service. */
export interface AWSInterfaceEndpointWire extends PrivateLinkEndpointBaseWire {
  readonly cloudProvider: 'AWS';
  readonly connectionStatus: AWSConnectionStatusWire;
  /** The customer's endpoint id, `vpce-<17 hex>`. */
  readonly interfaceEndpointId: string;
}

/** `AzurePrivateEndpoint`: a customer's private endpoint connected to the Private Link Service. */
export interface AzurePrivateEndpointWire extends PrivateLinkEndpointBaseWire {
  readonly cloudProvider: 'AZURE';
  /** The private link service's name of the connection, once Azure shows it; null before. */
  readonly privateEndpointConnectionName: string | null;
  /** The endpoint's IPv4 address in the customer's VNet. */
  readonly privateEndpointIPAddress: string;
  /** `/subscriptions/…/providers/Microsoft.Network/privateEndpoints/<name>`. */
  readonly privateEndpointResourceId: string;
  readonly status: 'INITIATING' | 'AVAILABLE' | 'FAILED' | 'DELETING';
}

/** `GCPConsumerForwardingRule`: one forwarding rule of a GCP endpoint group. */
export interface GCPConsumerForwardingRuleWire {
  readonly endpointName: string;
  readonly ipAddress: string;
  readonly status: 'INITIATING' | 'AVAILABLE' | 'FAILED' | 'DELETING';
}

/** `PrivateGCPEndpointGroup`: a customer's group of forwarding rules (one when port-mapped). */
export interface GCPEndpointGroupWire extends PrivateLinkEndpointBaseWire {
  readonly cloudProvider: 'GCP';
  readonly endpointGroupName: string;
  readonly endpoints: readonly GCPConsumerForwardingRuleWire[];
  /** The customer's Google Cloud project id (any valid project id; Atlas's own are `p-<24 alphanumerics>`). */
  readonly gcpProjectId: string;
  readonly portMappingEnabled: boolean;
  readonly status: 'INITIATING' | 'VERIFIED' | 'AVAILABLE' | 'FAILED' | 'DELETING' | 'DELETED';
}

/** `PrivateLinkEndpoint`: one of the three, by `cloudProvider`. */
export type InterfaceEndpointWire = AWSInterfaceEndpointWire | AzurePrivateEndpointWire | GCPEndpointGroupWire;

/** `CloudProviderEndpointServiceRequest`: the body of `POST …/privateEndpoint/endpointService`. */
export interface CloudProviderEndpointServiceRequestWire {
  readonly providerName: CloudProviderWire;
  /** Atlas or cloud region name. */
  readonly region: string;
  /** GCP only (default false). */
  readonly portMappingEnabled?: boolean;
  /** AWS only: up to 35 more regions. */
  readonly supportedRemoteRegions?: readonly string[] | null;
}

/** `CreateAWSEndpointRequest`: add a VPC interface endpoint (`vpce-<17 hex>`). */
export interface CreateAWSEndpointRequestWire {
  readonly cloudProvider?: 'AWS';
  readonly id: string;
}

/** `CreateAzureEndpointRequest`: add an Azure private endpoint by resource id and IP address. */
export interface CreateAzureEndpointRequestWire {
  readonly cloudProvider?: 'AZURE';
  readonly id: string;
  readonly privateEndpointIPAddress: string;
}

/** `CreateGCPForwardingRuleRequest`: one forwarding rule of an endpoint group to add. */
export interface CreateGCPForwardingRuleRequestWire {
  readonly endpointName: string;
  readonly ipAddress: string;
}

/** `CreateGCPEndpointGroupRequest`: add a group of forwarding rules. */
export interface CreateGCPEndpointGroupRequestWire {
  readonly cloudProvider?: 'GCP';
  readonly endpointGroupName: string;
  readonly endpoints?: readonly CreateGCPForwardingRuleRequestWire[];
  readonly gcpProjectId: string;
}

/**
 * `CreateEndpointRequest`: the body of `POST …/{cloudProvider}/endpointService/{id}/endpoint`.
 * The path names the cloud; `cloudProvider` in the body is optional.
 */
export type CreateEndpointRequestWire = CreateAWSEndpointRequestWire | CreateAzureEndpointRequestWire | CreateGCPEndpointGroupRequestWire;

/** `ProjectSettingItemView` of `…/privateEndpoint/regionalMode`: GET's answer, PATCH's body and answer. */
export interface RegionalModeWire {
  readonly enabled: boolean;
}
