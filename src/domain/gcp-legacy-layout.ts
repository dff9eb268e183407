/**
 * Atlas's legacy GCP design (an endpoint service created without `portMappingEnabled`): a fixed
 * set of service attachments is made with the service — Atlas's answer for a project shows six,
 * `sa-<region>-<groupId>-0 … 5` — and the customer makes one forwarding rule (one IP) per
 * attachment. Each addressable target lives on one attachment, on a port of its own there; the
 * targets are spread over the attachments round robin, in the order of their load-balancer ports,
 * the first round on 27017, the next on 27016, and so on (Atlas's legacy ports are 27015–27017).
 *
 * Pure: the placement depends only on a target's allocated load-balancer port, so the adapter
 * (which attachment serves it) and the private DNS (which forwarding rule's IP its hostname
 * resolves to) agree without sharing state.
 */
import { FIRST_TARGET_PORT } from './port-allocation.js';

/** How many service attachments a legacy endpoint service has. */
export const GCP_LEGACY_ATTACHMENTS = 6;

/** The port of a target in the first round on its attachment. */
export const GCP_LEGACY_FIRST_PORT = 27017;

/** Where a target with load-balancer port `lbPort` lives: attachment index and the port on it. */
export function legacyPlacement(lbPort: number, attachments = GCP_LEGACY_ATTACHMENTS): { readonly attachment: number; readonly port: number } {
  const k = lbPort - FIRST_TARGET_PORT;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`Not an allocated load-balancer port: ${lbPort}`);
  return { attachment: k % attachments, port: GCP_LEGACY_FIRST_PORT - Math.floor(k / attachments) };
}

/** Atlas's name of legacy service attachment `index` of a project's endpoint service in `region` (GCP region name). */
export function legacyAttachmentName(region: string, projectId: string, index: number): string {
  return `sa-${region}-${projectId}-${index}`;
}
