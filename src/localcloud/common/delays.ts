/**
 * How long each emulated transition takes, in milliseconds, for any emulator. Transitions are
 * lazy: a row stores its state, the next state and when it is due (see transitions.ts), so delays
 * survive restarts and need no timers. Each emulator names its own transitions (one key each)
 * and defines two presets: `instant` (all zero, the default) and `realistic` (that cloud's
 * durations, to exercise an automation's waits and timeouts).
 */

/** An emulator's delay table: one non-negative number of ms per transition it emulates. */
export type DelayTable<D> = { readonly [K in keyof D]: number };

/** The names of the presets every emulator offers. */
export type DelayPreset = 'instant' | 'realistic';

/** An emulator's two presets; `instant` also lists every key the emulator knows. */
export interface DelayPresets<D extends DelayTable<D>> {
  readonly instant: D;
  readonly realistic: D;
}

/**
 * The delays after applying `change` to `current`: a preset replaces everything, a partial
 * object replaces only the keys it names. Throws RangeError for unknown keys and for negative
 * or non-finite values.
 */
export function applyDelayChange<D extends DelayTable<D>>(presets: DelayPresets<D>, current: D, change: DelayPreset | Partial<D>): D {
  if (change === 'instant') return presets.instant;
  if (change === 'realistic') return presets.realistic;
  const next: Record<string, number> = { ...current };
  for (const [key, value] of Object.entries(change) as Array<[string, number | undefined]>) {
    if (value === undefined) continue;
    if (!(key in presets.instant)) throw new RangeError(`Unknown delay: ${key}`);
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Delay ${key} must be a non-negative number of ms`);
    next[key] = value;
  }
  return next as D;
}

/** Reads stored delays (JSON), falling back to `instant` for missing or unknown keys and for garbage. */
export function parseStoredDelays<D extends DelayTable<D>>(presets: DelayPresets<D>, json: string | undefined): D {
  if (!json) return presets.instant;
  try {
    const value = JSON.parse(json) as Record<string, number>;
    return applyDelayChange(presets, presets.instant, Object.fromEntries(Object.entries(value).filter(([key]) => key in presets.instant)) as Partial<D>);
  } catch {
    return presets.instant;
  }
}
