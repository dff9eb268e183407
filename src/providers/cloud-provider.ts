import type { ObservedEndpointService } from '../domain/endpoint-service.js';
import type { EndpointDetail, ObservedConnection, ProviderWording } from '../domain/interface-endpoint.js';

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
  /**
   * How customers address the targets: `portMapped` — one address, a port per target (AWS, Azure,
   * GCP with `portMappingEnabled`); `attachmentSet` — Atlas's legacy GCP design, a fixed set of
   * service attachments with each target on one of them (domain/gcp-legacy-layout.ts).
   */
  readonly layout: 'portMapped' | 'attachmentSet';
}

/**
 * A customer endpoint as registered with privlink: its id (AWS `vpce-…`, Azure private endpoint
 * resource id, GCP endpoint group name) and what the registration recorded (on GCP the group's
 * project and forwarding rules, which are what connects).
 */
export interface RegisteredEndpoint {
  readonly endpointId: string;
  readonly detail: EndpointDetail;
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
  /** The target is outside the provider network the load balancer lives in (on AWS: IP targets in availability zone `all`). */
  readonly outsideProviderNetwork?: boolean;
}

/**
 * What the reconciler persists for a service between passes (`endpoint_services.provider_ref`) on
 * the adapter's behalf: the provider's own ids once known. Opaque to the reconciler, which only
 * stores it and tells an empty ref (nothing was ever made) from a non-empty one.
 */
export type ProviderRef = Readonly<Record<string, unknown>>;

/** True when the adapter has recorded nothing for the service (no cloud resource was ever known). */
export function isEmptyRef(ref: ProviderRef): boolean {
  return Object.keys(ref).length === 0;
}

/**
 * One account of the provider account pool as an adapter reaches it: privlink's id and name for it,
 * and the provider's way in. AWS: keys (a local-cloud account, or an access key) or a role to
 * assume; neither: the SDK's standard credential chain. Azure: the subscription and its service
 * principal. GCP: the project and a service account's JSON key.
 */
export interface ProviderAccountAccess {
  readonly id: string;
  readonly name: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly roleArn?: string;
  readonly azure?: { readonly subscriptionId: string; readonly tenantId: string; readonly clientId: string; readonly clientSecret: string };
  readonly gcp?: { readonly projectId: string; readonly serviceAccountKey: string };
}

/**
 * Where an adapter learns which pool account an endpoint service is placed in. Undefined: the
 * service has no placement (a serverless endpoint service, or an installation without a pool), so
 * it lives in the adapter's configured account, as before pools existed.
 */
export interface ProviderAccountDirectory {
  accountOfService(serviceId: string): Promise<ProviderAccountAccess | undefined>;
}

/** A quota as the provider states it (AWS Service Quotas, Azure network usages, GCP region quotas). */
export interface ProviderQuota {
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly quotaName: string;
  readonly value: number;
}

/** What bounds one account in one region, as read from the provider. */
export interface AccountRegionQuotas {
  /** What each endpoint service takes one of (AWS: network load balancers per region; Azure: the lower of private link services and load balancers). */
  readonly loadBalancers: ProviderQuota;
  /** Networks per region (AWS VPCs, Azure virtual networks), and how many the account has there (the provider network needs one). */
  readonly vpcs: ProviderQuota;
  readonly vpcsInUse: number;
  /** Listeners per load balancer (one per node port of the project region's clusters; Azure: load-balancing rules per load balancer). */
  readonly listeners: ProviderQuota;
  /** Whether the account already has privlink's provider network (VPC, VNet) in the region. */
  readonly hasProviderNetwork: boolean;
}

/**
 * What an adapter that places services in a pool of accounts offers besides the external client:
 * reading an account's quotas (read-only, never a create) and removing the account region's
 * provider network once nothing is placed there (idempotent; absence is success).
 */
export interface ProviderCapacityAdapter {
  readAccountQuotas(account: ProviderAccountAccess, region: string): Promise<AccountRegionQuotas>;
  releaseProviderNetwork(account: ProviderAccountAccess, region: string): Promise<void>;
}

/** What `createEndpointService` answers. */
export interface CreatedEndpointService {
  /** The ids of what the call made or found (as `observeEndpointService`'s ref). */
  readonly ref: ProviderRef;
  /** The service as the call's own answers showed it at its end, when they showed all an observe reads. */
  readonly seen?: { readonly observed: ObservedEndpointService; readonly ref: ProviderRef };
}

/**
 * A cloud provider adapter, shaped like Crossplane's external client. All methods are idempotent
 * and non-blocking (they start work and return; the next observe shows progress). Absence is data,
 * not an error. Failures are thrown as ProviderError.
 */
export interface CloudProviderAdapter {
  /** How Atlas names this cloud's API in failure messages (`… from AWS API.`). */
  readonly apiName: string;
  /** How this cloud's things are named in the messages users read (`VPC endpoint`, how to make one). */
  readonly wording: ProviderWording;
  /** Present when the adapter places services in a pool of provider accounts (AWS, Azure). */
  readonly capacity?: ProviderCapacityAdapter;
  /**
   * Reads the cloud state of one endpoint service (read-only). Called on every reconcile pass of a
   * service that may have cloud resources. Finds them by the ids in `ref`, else by name, tag or
   * client token (so a create whose result was never committed is adopted, not made twice).
   * Returns the observation and the ref holding exactly the ids found on this pass. A `ready`
   * observation says whether the listeners and target groups match `spec.listeners` (level-based:
   * drift made in the cloud is seen here and repaired by `syncListeners`).
   * `likelyReady`: the caller expects the service ready (it was available, or this pass has just
   * made it on a cloud that may be done already); an adapter may then ask what only a ready service
   * needs together with the rest, at the cost of a read wasted when it is not.
   */
  observeEndpointService(spec: EndpointServiceSpec, ref: ProviderRef, likelyReady?: boolean): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }>;
  /**
   * Creates whatever is missing (load balancer, endpoint service with acceptance required, open
   * principals) — called when observe says absent/provisioning, with the ref that observe returned
   * on the same pass (or an empty ref when nothing was ever made, without an observe). It trusts
   * that ref instead of reading again; every create call is idempotent (name, client token), so a
   * crash between the call and the commit of the returned ref makes nothing twice. Listeners are
   * left to `syncListeners` once the service is ready. Answers the ref of what it made and, when
   * the answers to its own calls showed the whole service (Azure: the load balancer and the
   * private link service as their operations ended), what an observe would have answered then.
   */
  createEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<CreatedEndpointService>;
  /** Brings the load balancer's listeners/target groups to `spec.listeners` (adds, changes, removes). */
  syncListeners(spec: EndpointServiceSpec, ref: ProviderRef): Promise<void>;
  /**
   * Deletes the endpoint service and everything made for it: rejects live connections first (the
   * customers' endpoints then show rejected), then the service, listeners, target groups, load
   * balancer. Deletion is confirmed by the next observe returning absent.
   */
  deleteEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<void>;
  /**
   * Reads the connection of one registered customer endpoint to this service (on GCP: of every
   * forwarding rule of the group, with each rule's state in `members`).
   */
  observeConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpoint: RegisteredEndpoint): Promise<ObservedConnection>;
  /**
   * Accepts a pending connection. Accepting one already accepted is not an error. `seen`: what
   * `observeConnection` answered for it earlier in the same pass, when it did; an adapter may act
   * on it (the connection's name, the resources it read) instead of reading the connection again.
   * Answers the connection as the provider's answer to the accept shows it, when that answer shows
   * it (Azure answers the updated connection); undefined when only another observe can tell (AWS's
   * accept answers only what failed, Compute's an operation) or when nothing was sent.
   */
  acceptConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpoint: RegisteredEndpoint, seen?: ObservedConnection): Promise<ObservedConnection | undefined>;
  /** Rejects a connection (on delete of the interface endpoint). Rejecting one already gone is not an error. */
  rejectConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpoint: RegisteredEndpoint): Promise<void>;
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
