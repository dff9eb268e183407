import { applyDelayChange, parseStoredDelays, type DelayPreset, type DelayPresets } from '../common/delays.js';

export type { DelayPreset } from '../common/delays.js';

/** How long each transition of the AWS emulation takes, in milliseconds (see common/delays.ts). */
export interface Delays {
  /** CreateLoadBalancer: `provisioning` → `active`. */
  readonly loadBalancerProvisioning: number;
  /** CreateVpcEndpointServiceConfiguration: `Pending` → `Available` (never before its NLBs are active). */
  readonly serviceAvailable: number;
  /** DeleteVpcEndpointServiceConfigurations: `Deleting` → `Deleted`. */
  readonly serviceDeletion: number;
  /** Accept, or create without acceptance: endpoint `pending` → `available`. */
  readonly connectionAvailable: number;
  /** DeleteVpcEndpoints: `deleting` → `deleted`. */
  readonly endpointDeletion: number;
  /** How long `deleted` endpoints and `Deleted` services stay visible before they vanish. */
  readonly deletedRetention: number;
}

/** All transitions immediate: a read right after a write sees the next state. The default. */
export const INSTANT_DELAYS: Delays = Object.freeze({
  loadBalancerProvisioning: 0,
  serviceAvailable: 0,
  serviceDeletion: 0,
  connectionAvailable: 0,
  endpointDeletion: 0,
  deletedRetention: 0,
});

/** AWS-like durations, to exercise an automation's waits and timeouts. */
export const REALISTIC_DELAYS: Delays = Object.freeze({
  loadBalancerProvisioning: 150_000,
  serviceAvailable: 60_000,
  serviceDeletion: 30_000,
  connectionAvailable: 45_000,
  endpointDeletion: 30_000,
  deletedRetention: 600_000,
});

const AWS_DELAY_PRESETS: DelayPresets<Delays> = { instant: INSTANT_DELAYS, realistic: REALISTIC_DELAYS };

/** The AWS delays after applying `change` to `current` (see applyDelayChange). Throws RangeError for nonsense. */
export function applyDelays(current: Delays, change: DelayPreset | Partial<Delays>): Delays {
  return applyDelayChange(AWS_DELAY_PRESETS, current, change);
}

/** Reads stored AWS delays (JSON), falling back to instant for missing or unknown keys. */
export function parseDelays(json: string | undefined): Delays {
  return parseStoredDelays(AWS_DELAY_PRESETS, json);
}
