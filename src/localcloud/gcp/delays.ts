import { applyDelayChange, parseStoredDelays, type DelayPreset, type DelayPresets } from '../common/delays.js';

/**
 * How long the emulated Compute operations take, in milliseconds: an insert's operation is
 * RUNNING that long and the resource appears when it is DONE; a delete's operation likewise, and
 * the resource disappears then. Lazy (stored due times), so they survive restarts.
 */
export interface GcpDelays {
  /** Networks, subnetworks, firewalls. */
  readonly networkProvisioning: number;
  /** Addresses, network endpoint groups, backend services, forwarding rules. */
  readonly loadBalancerProvisioning: number;
  /** Service attachments (and their patches). */
  readonly serviceAttachmentProvisioning: number;
  /** Any delete. */
  readonly deletion: number;
}

export const GCP_DELAY_PRESETS: DelayPresets<GcpDelays> = {
  instant: Object.freeze({ networkProvisioning: 0, loadBalancerProvisioning: 0, serviceAttachmentProvisioning: 0, deletion: 0 }),
  /** Seconds, as Compute takes for these operations. */
  realistic: Object.freeze({ networkProvisioning: 10_000, loadBalancerProvisioning: 15_000, serviceAttachmentProvisioning: 20_000, deletion: 10_000 }),
};

export type GcpDelayPreset = DelayPreset;

/** The delays after a change (a preset replaces all; a partial object some). Throws RangeError for bad values. */
export function applyGcpDelays(current: GcpDelays, change: GcpDelayPreset | Partial<GcpDelays>): GcpDelays {
  return applyDelayChange(GCP_DELAY_PRESETS, current, change);
}

/** Reads stored delays (JSON), falling back to instant for missing or unknown keys. */
export function parseGcpDelays(text: string | undefined): GcpDelays {
  return parseStoredDelays(GCP_DELAY_PRESETS, text);
}
