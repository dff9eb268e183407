import type { CloudProvider } from './regions.js';

/**
 * Interface endpoint: a customer's endpoint registered with an endpoint service. privlink keeps
 * one lifecycle for every cloud — NONE, PENDING_ACCEPTANCE → PENDING → AVAILABLE | REJECTED, and
 * DELETING once deletion is asked for (the row goes when the provider connection is rejected or
 * gone) — stored in these words, which are AWS's `connectionStatus`. Each provider's serializer
 * publishes it in that provider's words (Azure and GCP: INITIATING, AVAILABLE, FAILED, DELETING;
 * see `publishedConnectionStatus`).
 */
export const CONNECTION_STATUSES = ['NONE', 'PENDING_ACCEPTANCE', 'PENDING', 'AVAILABLE', 'REJECTED', 'DELETING'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** Azure's and GCP's `status` of a private endpoint: INITIATING → AVAILABLE | FAILED, DELETING. */
export type InitiatingStatus = 'INITIATING' | 'AVAILABLE' | 'FAILED' | 'DELETING';

/** The status a provider's Atlas shape shows for privlink's lifecycle status. */
export function publishedConnectionStatus(provider: CloudProvider, status: ConnectionStatus): ConnectionStatus | InitiatingStatus {
  return provider === 'AWS' ? status : initiatingStatus(status);
}

/** Azure's and GCP's word for privlink's lifecycle status. */
export function initiatingStatus(status: ConnectionStatus): InitiatingStatus {
  switch (status) {
    case 'AVAILABLE':
    case 'DELETING':
      return status;
    case 'REJECTED':
      return 'FAILED';
    default:
      return 'INITIATING';
  }
}

/** AWS interface endpoint ids: `vpce-` + 17 lower-case hex (22 characters). */
export const AWS_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/;

/** Azure private endpoint resource ids, as Atlas's API describes them (root-relative ARM path). */
export const AZURE_PRIVATE_ENDPOINT_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resource[gG]roups\/([-\w._()]+)\/providers\/Microsoft\.Network\/privateEndpoints\/([-\w._()]+)$/;

/**
 * Atlas's `privateEndpointConnectionName` of an Azure private endpoint, which it generates from the
 * endpoint's resource id: `<subscription id>%2F<resource group>%2F<name>` (the pattern Atlas's API
 * gives for the field). Undefined for an id that is not a private endpoint's.
 */
export function azureConnectionName(resourceId: string): string | undefined {
  const match = AZURE_PRIVATE_ENDPOINT_ID.exec(resourceId);
  const subscription = resourceId.split('/')[2];
  return match && subscription ? `${subscription}%2F${match[1]}%2F${match[2]}` : undefined;
}

/**
 * A GCP endpoint group's `status`: Azure's words plus VERIFIED for privlink's PENDING — every
 * forwarding rule was found on its attachment and in the registered project, and acceptance was
 * asked for, but GCP has not accepted yet (the order INITIATING → VERIFIED → AVAILABLE is
 * privlink's reading of Atlas's list of values).
 */
export function gcpGroupStatus(status: ConnectionStatus): InitiatingStatus | 'VERIFIED' {
  return status === 'PENDING' ? 'VERIFIED' : initiatingStatus(status);
}

/**
 * A GCP resource name (forwarding rules, endpoint groups): "a lowercase letter followed by up to 62
 * lowercase letters, digits or hyphens, not ending with a hyphen" (Compute Engine's naming rule).
 */
export const GCP_RESOURCE_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A GCP project id: "6 to 30 lowercase letters, digits, or hyphens; it must start with a letter and
 * cannot end with a hyphen" (Resource Manager). Atlas's own `p-…` pattern is not required of a
 * customer's project.
 */
export const GCP_PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** An IPv4 address in dotted-quad form (Atlas's `privateEndpointIPAddress`). */
export const IPV4_ADDRESS = /^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}$/;

/**
 * What each provider records about a registered endpoint besides the common columns:
 * - AZURE: the private endpoint's IP address the customer registered (published in private DNS,
 *   as Atlas does) and the private-endpoint-connection name once the private link service shows it;
 * - GCP: the customer's project and the endpoint group's forwarding rules;
 * - AWS: nothing more (the endpoint id is the `vpce-` id; DNS names are a column of their own).
 */
export type EndpointDetail =
  | { readonly cloud: 'AWS' }
  | { readonly cloud: 'AZURE'; readonly privateEndpointIPAddress: string; readonly privateEndpointConnectionName: string | null }
  | { readonly cloud: 'GCP'; readonly gcpProjectId: string; readonly endpoints: readonly GcpForwardingRule[]; readonly portMappingEnabled: boolean };

/** One forwarding rule of a GCP endpoint group (Atlas's `GCPConsumerForwardingRule`). */
export interface GcpForwardingRule {
  readonly endpointName: string;
  readonly ipAddress: string;
  readonly status: ConnectionStatus;
}

/** Stored desired state plus published status of one interface endpoint. */
export interface InterfaceEndpoint {
  readonly endpointServiceId: string;
  readonly projectId: string;
  readonly provider: CloudProvider;
  /** The customer's endpoint id (AWS `vpce-…`, Azure private endpoint resource id, GCP endpoint group name). */
  readonly endpointId: string;
  readonly status: ConnectionStatus;
  readonly errorMessage: string | null;
  readonly deleteRequested: boolean;
  readonly createdAt: Date;
  readonly detail: EndpointDetail;
}

/** An interface endpoint as privlink keeps it: with its region, `pl-<n>` index and observed DNS names. */
export interface InterfaceEndpointRecord extends InterfaceEndpoint {
  readonly regionName: string;
  /** `n` of its hostnames `pl-<n>-<region>.<suffix>.<domain>`. */
  readonly plIndex: number;
  /** DNS names the provider gave the customer's endpoint (regional name first), once observed. */
  readonly dnsNames: readonly string[];
}

/**
 * How a provider names things in the messages a user reads (supplied by its adapter, so the
 * rules here stay cloud-neutral).
 */
export interface ProviderWording {
  /** `AWS`, `Azure`, `GCP`. */
  readonly cloud: string;
  /** What the customer makes on their side: `VPC endpoint`, `private endpoint`, `endpoint group`. */
  readonly endpointNoun: string;
  /** One sentence telling how to make that endpoint for `serviceName`. */
  howToCreate(serviceName: string): string;
}

/**
 * What the provider reports about the connection of one customer endpoint to the service.
 * `otherService` means the endpoint exists but is attached to a different service of ours.
 */
export type ObservedConnection = (
  | { readonly state: 'serviceNotReady' }
  | { readonly state: 'absent' }
  | { readonly state: 'otherService'; readonly serviceName: string }
  /** The endpoint exists but does not match the service (GCP: a rule on the wrong attachment or in another project, a count that differs); `message` says which. */
  | { readonly state: 'invalid'; readonly message: string }
  | {
      readonly state: 'pendingAcceptance' | 'pending' | 'available' | 'rejected' | 'deleted' | 'failed' | 'expired';
      /** The provider's name of the connection (Azure's private-endpoint-connection name), when it has one. */
      readonly connectionName?: string;
    }
) & {
  /** An endpoint made of several connections (a GCP endpoint group's forwarding rules): each one's status, by name. */
  readonly members?: ReadonlyArray<{ readonly name: string; readonly status: ConnectionStatus }>;
  /**
   * What the adapter read to say this (GCP: the service attachments, with their fingerprints and
   * accept lists), handed back to the same adapter's `acceptConnection` in the same pass. Opaque
   * to everything else; never stored.
   */
  readonly reading?: unknown;
};

/** One reconcile decision for an interface endpoint. */
export interface InterfaceEndpointDecision {
  readonly status: ConnectionStatus;
  readonly errorMessage: string | null;
  /** accept/reject: ask the provider; forget: remove the row; none: only publish the status. */
  readonly action: 'accept' | 'reject' | 'forget' | 'none';
  readonly settled: boolean;
}

/** Context the decision needs besides the observation. */
export interface InterfaceEndpointContext {
  readonly serviceName: string | null;
  /** How long an endpoint id the provider does not know is given before it is REJECTED. */
  readonly notFoundGraceMs: number;
  readonly now: Date;
  readonly wording: ProviderWording;
}

/**
 * The interface-endpoint state machine as a decision table (pure, every cloud).
 *
 * | deleteRequested | observed                     | → connectionStatus | action |
 * |-----------------|------------------------------|--------------------|--------|
 * | yes             | pendingAcceptance/pending/available | DELETING    | reject |
 * | yes             | anything else                | DELETING           | forget |
 * | no              | serviceNotReady              | PENDING_ACCEPTANCE | none (wait) |
 * | no              | absent, younger than grace   | PENDING_ACCEPTANCE | none (wait) |
 * | no              | absent, older than grace     | REJECTED           | none (message says not found) |
 * | no              | otherService                 | REJECTED           | none (message names the other service) |
 * | no              | invalid                      | REJECTED           | none (the provider's message says what does not match) |
 * | no              | pendingAcceptance, already REJECTED | REJECTED    | none (privlink refused it; delete the registration, then register again) |
 * | no              | pendingAcceptance            | PENDING_ACCEPTANCE | accept |
 * | no              | pending                      | PENDING            | none (wait) |
 * | no              | available                    | AVAILABLE          | none |
 * | no              | rejected/deleted/failed/expired | REJECTED        | none |
 */
export function decideInterfaceEndpoint(current: InterfaceEndpoint, observed: ObservedConnection, context: InterfaceEndpointContext): InterfaceEndpointDecision {
  if (current.deleteRequested) {
    const live = observed.state === 'pendingAcceptance' || observed.state === 'pending' || observed.state === 'available';
    return { status: 'DELETING', errorMessage: null, action: live ? 'reject' : 'forget', settled: !live };
  }
  const service = context.serviceName ?? 'this endpoint service';
  switch (observed.state) {
    case 'serviceNotReady':
      return { status: 'PENDING_ACCEPTANCE', errorMessage: null, action: 'none', settled: false };
    case 'absent': {
      const age = context.now.getTime() - current.createdAt.getTime();
      if (age < context.notFoundGraceMs) return { status: 'PENDING_ACCEPTANCE', errorMessage: null, action: 'none', settled: false };
      return {
        status: 'REJECTED',
        errorMessage: `Interface endpoint ${current.endpointId} was not found: no ${context.wording.endpointNoun} with this id requests a connection to ${service}. ${context.wording.howToCreate(service)} Delete this registration, then register the new endpoint's id.`,
        action: 'none',
        settled: true,
      };
    }
    case 'otherService':
      return {
        status: 'REJECTED',
        errorMessage: `Interface endpoint ${current.endpointId} is connected to ${observed.serviceName}, not to ${service}. Delete this registration, then register the endpoint with the endpoint service it was created for.`,
        action: 'none',
        settled: true,
      };
    case 'invalid':
      return {
        status: 'REJECTED',
        errorMessage: `Interface endpoint ${current.endpointId} does not match ${service}: ${observed.message} Delete this registration, then register the endpoint again.`,
        action: 'none',
        settled: true,
      };
    case 'pendingAcceptance':
      if (current.status === 'REJECTED') return { status: 'REJECTED', errorMessage: current.errorMessage, action: 'none', settled: true };
      return { status: 'PENDING_ACCEPTANCE', errorMessage: null, action: 'accept', settled: false };
    case 'pending':
      return { status: 'PENDING', errorMessage: null, action: 'none', settled: false };
    case 'available':
      return { status: 'AVAILABLE', errorMessage: null, action: 'none', settled: true };
    case 'rejected':
    case 'deleted':
    case 'failed':
    case 'expired':
      return {
        status: 'REJECTED',
        errorMessage: `The connection from ${current.endpointId} to ${service} is ${observed.state} in ${context.wording.cloud}. Delete this registration, create a new ${context.wording.endpointNoun} and register its id.`,
        action: 'none',
        settled: true,
      };
  }
}
