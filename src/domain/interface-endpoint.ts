import type { CloudProvider } from './regions.js';

/**
 * Interface endpoint: a customer's endpoint registered with an endpoint service. AWS reports
 * `connectionStatus` PENDING_ACCEPTANCE → PENDING → AVAILABLE | REJECTED, and DELETING once
 * deletion is asked for (the row goes when the provider connection is rejected or gone).
 */
export const AWS_CONNECTION_STATUSES = ['NONE', 'PENDING_ACCEPTANCE', 'PENDING', 'AVAILABLE', 'REJECTED', 'DELETING'] as const;
export type AwsConnectionStatus = (typeof AWS_CONNECTION_STATUSES)[number];

/** AWS interface endpoint ids: `vpce-` + 17 lower-case hex (22 characters). */
export const AWS_ENDPOINT_ID = /^vpce-[0-9a-f]{17}$/;

/** Stored desired state plus published status of one interface endpoint. */
export interface InterfaceEndpoint {
  readonly endpointServiceId: string;
  readonly projectId: string;
  readonly provider: CloudProvider;
  /** The customer's endpoint id (AWS `vpce-…`). */
  readonly endpointId: string;
  readonly status: AwsConnectionStatus;
  readonly errorMessage: string | null;
  readonly deleteRequested: boolean;
  readonly createdAt: Date;
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
 * What the provider reports about the connection of one customer endpoint to the service.
 * `otherService` means the endpoint exists but is attached to a different service of ours.
 */
export type ObservedConnection =
  | { readonly state: 'serviceNotReady' }
  | { readonly state: 'absent' }
  | { readonly state: 'otherService'; readonly serviceName: string }
  | { readonly state: 'pendingAcceptance' | 'pending' | 'available' | 'rejected' | 'deleted' | 'failed' | 'expired' };

/** One reconcile decision for an interface endpoint. */
export interface InterfaceEndpointDecision {
  readonly status: AwsConnectionStatus;
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
}

/**
 * The AWS interface-endpoint state machine as a decision table (pure).
 *
 * | deleteRequested | observed                     | → connectionStatus | action |
 * |-----------------|------------------------------|--------------------|--------|
 * | yes             | pendingAcceptance/pending/available | DELETING    | reject |
 * | yes             | anything else                | DELETING           | forget |
 * | no              | serviceNotReady              | PENDING_ACCEPTANCE | none (wait) |
 * | no              | absent, younger than grace   | PENDING_ACCEPTANCE | none (wait) |
 * | no              | absent, older than grace     | REJECTED           | none (message says not found) |
 * | no              | otherService                 | REJECTED           | none (message names the other service) |
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
        errorMessage: `Interface endpoint ${current.endpointId} was not found: no VPC endpoint with this id requests a connection to ${service}. Create it with aws ec2 create-vpc-endpoint --service-name ${service}. Delete this registration, then register the new endpoint's id.`,
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
        errorMessage: `The connection from ${current.endpointId} to ${service} is ${observed.state} in AWS. Delete this registration, create a new VPC endpoint and register its id.`,
        action: 'none',
        settled: true,
      };
  }
}
