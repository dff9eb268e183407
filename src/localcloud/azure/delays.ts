/**
 * How long the emulated Azure operations take, in milliseconds. A PUT leaves the resource
 * `Updating` (and its operation `InProgress`) that long; a DELETE leaves it `Deleting`. Transitions
 * are lazy (stored due times, advanced by the next request), so they survive restarts.
 */
export interface AzureDelays {
  /** Virtual networks, subnets, network security groups. */
  readonly networkProvisioning: number;
  /** Load balancers. */
  readonly loadBalancerProvisioning: number;
  /** Private link services and private endpoints. */
  readonly privateLinkProvisioning: number;
  /** Any DELETE: `Deleting` → gone. */
  readonly deletion: number;
}

/** Every operation finishes at once: the next read sees `Succeeded`. The default. */
export const INSTANT_AZURE_DELAYS: AzureDelays = Object.freeze({ networkProvisioning: 0, loadBalancerProvisioning: 0, privateLinkProvisioning: 0, deletion: 0 });

/** Seconds to a minute, as Azure takes, to exercise an automation's polling. */
export const REALISTIC_AZURE_DELAYS: AzureDelays = Object.freeze({
  networkProvisioning: 5_000,
  loadBalancerProvisioning: 30_000,
  privateLinkProvisioning: 60_000,
  deletion: 20_000,
});

export type AzureDelayPreset = 'instant' | 'realistic';

/** The delays after applying `change` (a preset replaces all; a partial object some). Throws RangeError for bad values. */
export function applyAzureDelays(current: AzureDelays, change: AzureDelayPreset | Partial<AzureDelays>): AzureDelays {
  if (change === 'instant') return INSTANT_AZURE_DELAYS;
  if (change === 'realistic') return REALISTIC_AZURE_DELAYS;
  const next: Record<string, number> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (!(key in INSTANT_AZURE_DELAYS)) throw new RangeError(`Unknown delay: ${key}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`Delay ${key} must be a non-negative number of ms`);
    next[key] = value;
  }
  return next as unknown as AzureDelays;
}

/** Reads stored delays (JSON), falling back to instant for missing or unknown keys. */
export function parseAzureDelays(text: string | undefined): AzureDelays {
  if (!text) return INSTANT_AZURE_DELAYS;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const known = Object.fromEntries(Object.entries(value).filter(([key, v]) => key in INSTANT_AZURE_DELAYS && typeof v === 'number')) as Partial<AzureDelays>;
    return applyAzureDelays(INSTANT_AZURE_DELAYS, known);
  } catch {
    return INSTANT_AZURE_DELAYS;
  }
}
