// Atlas's serverless bodies: serverless instances (`/groups/{groupId}/serverless[/{name}]`) and their
// private endpoints (`/groups/{groupId}/privateEndpoint/serverless/instance/{instanceName}/endpoint`).
// Pure types: the API's serializers produce them, the CLI and the API client read them.
import type { CloudProviderWire, LinkWire } from './common.wire.js';
import type { KeyValueWire } from './clusters.wire.js';

/** `ServerlessProviderSettings`: where the instance runs. `providerName` is always `SERVERLESS`. */
export interface ServerlessProviderSettingsWire {
  /** The cloud behind the instance (`AWS`, `AZURE`, `GCP`). */
  readonly backingProviderName: CloudProviderWire;
  readonly providerName: 'SERVERLESS';
  /** Atlas region name of the backing cloud, e.g. `US_EAST_1`. */
  readonly regionName: string;
}

/** `ClusterServerlessBackupOptions`. */
export interface ServerlessBackupOptionsWire {
  readonly serverlessContinuousBackupEnabled: boolean;
}

/** `ServerlessConnectionStringsPrivateEndpointItem`: one private endpoint behind a connection string. */
export interface ServerlessPrivateEndpointItemWire {
  /** The cloud's id of the customer's endpoint (AWS `vpce-…`, Azure private endpoint resource id). */
  readonly endpointId: string;
  readonly providerName: 'AWS' | 'AZURE';
  /** Atlas region name of the instance. */
  readonly region: string;
}

/** `ServerlessConnectionStringsPrivateEndpointList`: the string of one AVAILABLE private endpoint. */
export interface ServerlessPrivateEndpointStringWire {
  readonly endpoints: readonly ServerlessPrivateEndpointItemWire[];
  /** `mongodb+srv://<instance>-pe-<n>.<hostSuffix>.<domain>` (the TXT record adds `loadBalanced=true`). */
  readonly srvConnectionString: string;
  readonly type: 'MONGOS';
}

/** `ServerlessInstanceDescriptionConnectionStrings`. */
export interface ServerlessConnectionStringsWire {
  /** Only AVAILABLE private endpoints have a string here (empty without one). */
  readonly privateEndpoint: readonly ServerlessPrivateEndpointStringWire[];
  /** `mongodb+srv://<instance>.<hostSuffix>.<domain>`: named as Atlas names it; privlink serves no public endpoint. */
  readonly standardSrv: string;
}

/** `stateName` of a serverless instance. */
export type ServerlessStateWire = 'IDLE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'REPAIRING';

/** `ServerlessInstanceDescription`: a serverless instance as GET/POST/PATCH answer it. */
export interface ServerlessInstanceWire {
  readonly connectionStrings: ServerlessConnectionStringsWire;
  readonly createDate: string;
  readonly groupId: string;
  readonly id: string;
  readonly links: readonly LinkWire[];
  /** `<major>.<minor>.<patch>`. */
  readonly mongoDBVersion: string;
  readonly name: string;
  readonly providerSettings: ServerlessProviderSettingsWire;
  readonly serverlessBackupOptions: ServerlessBackupOptionsWire;
  readonly stateName: ServerlessStateWire;
  readonly tags: readonly KeyValueWire[];
  readonly terminationProtectionEnabled: boolean;
}

/** `ServerlessInstanceDescriptionCreate`: the body of `POST /groups/{groupId}/serverless`. */
export interface ServerlessInstanceCreateWire {
  readonly name: string;
  readonly providerSettings: { readonly backingProviderName: CloudProviderWire; readonly providerName?: 'SERVERLESS'; readonly regionName: string };
  readonly serverlessBackupOptions?: ServerlessBackupOptionsWire;
  readonly tags?: readonly KeyValueWire[];
  readonly terminationProtectionEnabled?: boolean;
}

/** `ServerlessInstanceDescriptionUpdate`: the body of `PATCH /groups/{groupId}/serverless/{name}`. */
export interface ServerlessInstanceUpdateWire {
  readonly serverlessBackupOptions?: ServerlessBackupOptionsWire;
  readonly tags?: readonly KeyValueWire[];
  readonly terminationProtectionEnabled?: boolean;
}

/**
 * `status` of a serverless private endpoint: RESERVATION_REQUESTED → RESERVED (the endpoint
 * service exists; create your endpoint) → INITIATING (after PATCH) → AVAILABLE | FAILED; DELETING.
 */
export type ServerlessEndpointStatusWire = 'RESERVATION_REQUESTED' | 'RESERVED' | 'INITIATING' | 'AVAILABLE' | 'FAILED' | 'DELETING';

/** What both variants of `ServerlessTenantEndpoint` have. */
interface ServerlessTenantEndpointBaseWire {
  /** 24-hex id of the private endpoint (the `{endpointId}` of its path). */
  readonly _id: string;
  /** The customer's endpoint id once PATCHed; null before. */
  readonly cloudProviderEndpointId: string | null;
  readonly comment: string | null;
  /** AWS `com.amazonaws.vpce.<region>.vpce-svc-…`, Azure `pls_<24 hex>`; null until RESERVED. */
  readonly endpointServiceName: string | null;
  readonly errorMessage: string | null;
  readonly status: ServerlessEndpointStatusWire;
}

/** `ServerlessAWSTenantEndpoint`. */
export interface ServerlessAWSTenantEndpointWire extends ServerlessTenantEndpointBaseWire {
  readonly providerName: 'AWS';
}

/** `ServerlessAzureTenantEndpoint` (note Atlas's casing `privateEndpointIpAddress`). */
export interface ServerlessAzureTenantEndpointWire extends ServerlessTenantEndpointBaseWire {
  readonly providerName: 'AZURE';
  readonly privateEndpointIpAddress: string | null;
  /** `/subscriptions/…/privateLinkServices/pls_…`; null until RESERVED. */
  readonly privateLinkServiceResourceId: string | null;
}

/**
 * `ServerlessTenantEndpoint`, one of the two by `providerName`. The v1.0 API answers the same
 * body (`_id` included).
 */
export type ServerlessTenantEndpointWire = ServerlessAWSTenantEndpointWire | ServerlessAzureTenantEndpointWire;

/** `ServerlessTenantCreateRequest`: the body of POST (may be `{}`). */
export interface ServerlessTenantCreateRequestWire {
  /** At most 80 characters. */
  readonly comment?: string;
}

/** `ServerlessTenantEndpointUpdate` (AWS and AZURE variants): the body of PATCH. `providerName` is required. */
export interface ServerlessTenantEndpointUpdateWire {
  readonly providerName: 'AWS' | 'AZURE';
  /** AWS `vpce-<17 hex>`; Azure the private endpoint's resource id. */
  readonly cloudProviderEndpointId?: string;
  readonly comment?: string;
  /** Azure only: the private endpoint's IP address in the customer's VNet. */
  readonly privateEndpointIpAddress?: string;
}
