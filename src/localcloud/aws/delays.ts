/**
 * How long each emulated transition takes, in milliseconds. Transitions are lazy: a row stores
 * its state, the next state and when it is due (see transitions.ts), so delays survive restarts
 * and need no timers.
 */
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

export type DelayPreset = 'instant' | 'realistic';

/**
 * The delays after applying `change` to `current`: a preset replaces everything, a partial
 * object replaces only the keys it names. Throws RangeError for negative or non-finite values.
 */
export function applyDelays(current: Delays, change: DelayPreset | Partial<Delays>): Delays {
  if (change === 'instant') return INSTANT_DELAYS;
  if (change === 'realistic') return REALISTIC_DELAYS;
  const next = { ...current };
  for (const [key, value] of Object.entries(change) as Array<[keyof Delays, number | undefined]>) {
    if (value === undefined) continue;
    if (!(key in INSTANT_DELAYS)) throw new RangeError(`Unknown delay: ${key}`);
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Delay ${key} must be a non-negative number of ms`);
    (next as Record<keyof Delays, number>)[key] = value;
  }
  return next;
}

/** Reads stored delays (JSON), falling back to instant for missing or unknown keys. */
export function parseDelays(json: string | undefined): Delays {
  if (!json) return INSTANT_DELAYS;
  try {
    const value = JSON.parse(json) as Partial<Delays>;
    return applyDelays(INSTANT_DELAYS, Object.fromEntries(Object.entries(value).filter(([key]) => key in INSTANT_DELAYS)));
  } catch {
    return INSTANT_DELAYS;
  }
}
