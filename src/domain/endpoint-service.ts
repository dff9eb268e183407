import type { CloudProvider } from './regions.js';

/**
 * Endpoint service (the provider side of a private link in one project, cloud and region).
 * `INITIATING → AVAILABLE | FAILED`, and `DELETING` once deletion is asked for, until the
 * provider confirms the resources are gone and the row disappears (GET then answers 404).
 * `WAITING_FOR_USER` is legacy Atlas AWS wording for "ready"; privlink reports AVAILABLE as
 * current Atlas does.
 */
export const ENDPOINT_SERVICE_STATUSES = ['INITIATING', 'WAITING_FOR_USER', 'AVAILABLE', 'FAILED', 'DELETING'] as const;
export type EndpointServiceStatus = (typeof ENDPOINT_SERVICE_STATUSES)[number];

/** Desired state plus published status of one endpoint service, as stored. */
export interface EndpointService {
  readonly id: string;
  readonly projectId: string;
  readonly provider: CloudProvider;
  /** Atlas region name, e.g. `US_EAST_1`. */
  readonly regionName: string;
  readonly status: EndpointServiceStatus;
  readonly errorMessage: string | null;
  /**
   * The name customers connect to, null until the provider made it: AWS
   * `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`, Azure's private link service name
   * (`pls_<id>`), GCP's first service attachment.
   */
  readonly endpointServiceName: string | null;
  readonly deleteRequested: boolean;
  readonly createdAt: Date;
  /** What the provider publishes besides the name (see ServiceDetail). */
  readonly detail: ServiceDetail;
}

/**
 * Provider detail of an endpoint service, as Atlas shows it:
 * - AZURE: `privateLinkServiceResourceId` (customers make their private endpoint to it);
 * - GCP: `serviceAttachmentNames`, one per addressable target;
 * - AWS: nothing beyond `endpointServiceName`.
 */
export type ServiceDetail =
  | { readonly cloud: 'AWS' }
  | { readonly cloud: 'AZURE'; readonly privateLinkServiceResourceId: string | null }
  | { readonly cloud: 'GCP'; readonly serviceAttachmentNames: readonly string[]; readonly portMappingEnabled: boolean };

/**
 * The empty detail of a provider's service before the provider made anything (GCP keeps the
 * `portMappingEnabled` it was created with: one service attachment for the region, or Atlas's
 * legacy set of attachments).
 */
export function emptyServiceDetail(provider: CloudProvider, previous?: ServiceDetail): ServiceDetail {
  if (provider === 'AZURE') return { cloud: 'AZURE', privateLinkServiceResourceId: null };
  if (provider === 'GCP') return { cloud: 'GCP', serviceAttachmentNames: [], portMappingEnabled: previous?.cloud === 'GCP' ? previous.portMappingEnabled : false };
  return { cloud: 'AWS' };
}

/** What the provider reports about the resources behind one endpoint service. */
export type ObservedEndpointService =
  | { readonly state: 'absent' }
  | { readonly state: 'provisioning' }
  | {
      readonly state: 'ready';
      readonly serviceName: string;
      /** What the provider publishes besides the name (Azure's resource id, GCP's attachments). */
      readonly detail?: ServiceDetail;
      readonly availabilityZones: readonly string[];
      /**
       * Whether the listeners and target groups in the cloud match the desired ones (level-based:
       * a listener or target group deleted in the cloud shows as `false` on the next observe).
       */
      readonly listenersInSync: boolean;
    }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'deleting' };

/** One reconcile decision for an endpoint service. */
export interface EndpointServiceDecision {
  readonly status: EndpointServiceStatus;
  readonly errorMessage: string | null;
  readonly endpointServiceName: string | null;
  /** The provider detail to publish (unchanged unless the provider is ready). */
  readonly detail: ServiceDetail;
  /** What to ask of the provider on this pass. */
  readonly action: 'create' | 'delete' | 'syncListeners' | 'none' | 'forget';
  /** Whether the resource is settled (no pass is due until something changes or a resync). */
  readonly settled: boolean;
}

/**
 * The endpoint-service state machine as a decision table (pure).
 *
 * | deleteRequested | observed      | → status      | action  |
 * |-----------------|---------------|---------------|---------|
 * | no              | absent        | INITIATING    | create  |
 * | no              | provisioning  | INITIATING    | create (idempotent: finishes missing parts) |
 * | no              | ready, listeners in sync     | AVAILABLE | none |
 * | no              | ready, listeners out of sync | AVAILABLE | syncListeners (repairs drift; settled) |
 * | no              | failed        | FAILED        | none    |
 * | no              | deleting      | INITIATING    | none (wait, then re-create) |
 * | yes             | absent        | DELETING      | forget (row removed) |
 * | yes             | anything else | DELETING      | delete  |
 */
export function decideEndpointService(current: EndpointService, observed: ObservedEndpointService): EndpointServiceDecision {
  if (current.deleteRequested) {
    if (observed.state === 'absent') {
      return { status: 'DELETING', errorMessage: null, endpointServiceName: current.endpointServiceName, detail: current.detail, action: 'forget', settled: true };
    }
    return { status: 'DELETING', errorMessage: null, endpointServiceName: current.endpointServiceName, detail: current.detail, action: 'delete', settled: false };
  }
  switch (observed.state) {
    case 'absent':
    case 'provisioning':
      return {
        status: 'INITIATING',
        errorMessage: null,
        endpointServiceName: null,
        detail: emptyServiceDetail(current.provider, current.detail),
        action: 'create',
        settled: false,
      };
    case 'deleting':
      return { status: 'INITIATING', errorMessage: null, endpointServiceName: null, detail: emptyServiceDetail(current.provider, current.detail), action: 'none', settled: false };
    case 'ready':
      return {
        status: 'AVAILABLE',
        errorMessage: null,
        endpointServiceName: observed.serviceName,
        detail: observed.detail ?? current.detail,
        action: observed.listenersInSync ? 'none' : 'syncListeners',
        settled: true,
      };
    case 'failed':
      return { status: 'FAILED', errorMessage: observed.message, endpointServiceName: current.endpointServiceName, detail: current.detail, action: 'none', settled: true };
  }
}
