import { GCP_LEGACY_ATTACHMENTS, legacyAttachmentName } from '../../domain/gcp-legacy-layout.js';
import type { EndpointServiceSpec } from '../cloud-provider.js';

/**
 * One service attachment with what fronts it: an internal forwarding rule on all ports, its
 * backend service, and one port-mapping network endpoint group (client port → target).
 */
export interface GcpUnit {
  /** The attachment's index in a legacy set (`…-0 … 5`); null for the single attachment of a port-mapped service. */
  readonly index: number | null;
  readonly serviceAttachment: string;
  readonly forwardingRule: string;
  readonly backendService: string;
  readonly neg: string;
}

/**
 * Names of what the GCP adapter makes for an endpoint service in the producer project, all derived
 * from the service (its id, and for Atlas's legacy attachment names its project and region), so a
 * create whose result was never committed finds its resources again by name. Compute names:
 * `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`.
 * - port-mapped: one unit, everything named `pl-<id>` (the endpoint group `pl-<id>-pm`);
 * - legacy (`attachmentSet`): six units, attachments `sa-<region>-<projectId>-<i>` as Atlas names
 *   them, the rest `pl-<id>-<i>`.
 */
export function gcpNames(spec: Pick<EndpointServiceSpec, 'id' | 'projectId' | 'region' | 'layout'>) {
  const base = `pl-${spec.id.toLowerCase()}`;
  const units: GcpUnit[] =
    spec.layout === 'portMapped'
      ? [{ index: null, serviceAttachment: base, forwardingRule: base, backendService: base, neg: `${base}-pm` }]
      : Array.from({ length: GCP_LEGACY_ATTACHMENTS }, (_, i) => ({
          index: i,
          serviceAttachment: legacyAttachmentName(spec.region, spec.projectId.toLowerCase(), i),
          forwardingRule: `${base}-${i}`,
          backendService: `${base}-${i}`,
          neg: `${base}-${i}`,
        }));
  return { network: base, subnet: base, natSubnet: `${base}-nat`, units };
}

/** The provider network's subnet and the PSC NAT subnet (shared by the service's attachments). */
export const SUBNET_RANGE = '10.0.0.0/24';
export const NAT_SUBNET_RANGE = '10.0.9.0/24';

/**
 * How many endpoints of one consumer project an accept-list entry admits. Accept and reject are
 * per consumer project on GCP.
 */
export const CONNECTION_LIMIT = 100;
