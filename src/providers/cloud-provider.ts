import type { ObservedEndpointService } from '../domain/endpoint-service.js';
import type { ObservedConnection } from '../domain/interface-endpoint.js';

/**
 * The provider side of one endpoint service as the reconciler asks for it. `id` (privlink's
 * endpoint service id) is the only link to the cloud: every resource made for it carries it in a
 * name, client token or tag, so a lost commit is found again instead of made twice.
 */
export interface EndpointServiceSpec {
  readonly id: string;
  readonly projectId: string;
  /** Provider region name, e.g. `us-east-1`. */
  readonly region: string;
  /** Port-per-node listeners the load balancer must have: listener port → one target. */
  readonly listeners: readonly ListenerSpec[];
}

/**
 * One load-balancer port: an addressable target behind its own port (port-per-node), or the
 * mongos pool of a sharded cluster behind its load-balanced (`-lb`) port.
 */
export interface ListenerSpec {
  /** Load-balancer port (1024, 1025, …). */
  readonly port: number;
  /** Where connections to the port go (one target, or several for the mongos pool). */
  readonly targets: readonly ListenerTarget[];
  /** Whether the targets want a PROXY protocol v2 header (with the endpoint id TLV). */
  readonly proxyProtocol: boolean;
}

export interface ListenerTarget {
  /** IP address of the target. */
  readonly host: string;
  readonly port: number;
  /** `all` for a target outside the load balancer's VPC (AWS's rule for IP targets). */
  readonly availabilityZone?: 'all';
}

/**
 * What the reconciler persists for a service between passes (`endpoint_services.provider_ref`):
 * the provider's ids once known, and the create-pending journal mark written before a create call.
 */
export interface ProviderRef {
  readonly loadBalancerArn?: string;
  readonly serviceId?: string;
  readonly serviceName?: string;
  /** ISO time a create call was about to be made; cleared once the created resources were observed. */
  readonly createPendingSince?: string;
  readonly [key: string]: unknown;
}

/**
 * A cloud provider adapter, shaped like Crossplane's external client. All methods are idempotent
 * and non-blocking (they start work and return; the next observe shows progress). Absence is data,
 * not an error. Failures are thrown as ProviderError.
 */
export interface CloudProviderAdapter {
  /**
   * Reads the cloud state of one endpoint service (read-only). Called on every reconcile pass.
   * Returns the observation and the ref enriched with any ids found (e.g. after a lost commit).
   */
  observeEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }>;
  /**
   * Creates whatever is missing (load balancer, endpoint service with acceptance required, open
   * principals) — called when observe says absent/provisioning. Finding a resource it made before
   * (by name, client token or tag) it adopts instead of making a second one.
   */
  createEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<ProviderRef>;
  /** Brings the load balancer's listeners/target groups to `spec.listeners` (adds, changes, removes). */
  syncListeners(spec: EndpointServiceSpec, ref: ProviderRef): Promise<void>;
  /**
   * Deletes the endpoint service and everything made for it: rejects live connections first (the
   * customers' endpoints then show rejected), then the service, listeners, target groups, load
   * balancer. Deletion is confirmed by the next observe returning absent.
   */
  deleteEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<void>;
  /** Reads the connection of one customer endpoint to this service. */
  observeConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string): Promise<ObservedConnection>;
  /** Accepts a pending connection. Accepting one already accepted is not an error. */
  acceptConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string): Promise<void>;
  /** Rejects a connection (on delete of the interface endpoint). Rejecting one already gone is not an error. */
  rejectConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string): Promise<void>;
}

/**
 * A provider failure, classified for the reconciler:
 * - `throttled`, `transient`: retried with backoff (`retryAfterMs` honoured when the provider says);
 * - `conflict`: another operation is in progress; retried;
 * - `forbidden`, `invalid`: the request cannot succeed as is; the resource goes FAILED/REJECTED
 *   with `atlasMessage`.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly kind: 'throttled' | 'transient' | 'conflict' | 'forbidden' | 'invalid',
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'transient' || this.kind === 'conflict';
  }
}
