import { parseDelays, type Delays } from './delays.js';
import type { ControlRepository } from './store/control.repository.js';

/** Keys of the emulator's own settings in `lc_settings`. */
export const SETTING = {
  /** Current delays (JSON of Delays). */
  delays: 'delays',
  /** The delay preset the process was last started with; a different one at start replaces `delays`. */
  startPreset: 'delays_start_preset',
  unavailableWindowMs: 'unavailable_window_ms',
  providerAccountId: 'provider_account_id',
  customerAccountId: 'customer_account_id',
  /** How long a Service Quotas increase request stays open before it is approved (ms). */
  quotaApprovalMs: 'quota_approval_ms',
} as const;

/** The settings every request reads (shared by all processes on the store). */
export interface EmulatorSettings {
  readonly delays: Delays;
  readonly unavailableWindowMs: number;
  readonly providerAccountId: string | undefined;
}

/** The keys `settingsFrom` reads. */
export const REQUEST_SETTINGS: readonly string[] = [SETTING.unavailableWindowMs, SETTING.delays, SETTING.providerAccountId];

/** Reads the settings (missing ones default: instant delays, no 503 window). */
export async function readSettings(control: ControlRepository): Promise<EmulatorSettings> {
  return settingsFrom(await control.getSettings(REQUEST_SETTINGS));
}

/** The settings from their stored values (`REQUEST_SETTINGS`; missing ones default). */
export function settingsFrom(values: ReadonlyMap<string, string>): EmulatorSettings {
  const window = Number(values.get(SETTING.unavailableWindowMs));
  return {
    delays: parseDelays(values.get(SETTING.delays)),
    unavailableWindowMs: Number.isFinite(window) && window > 0 ? window : 0,
    providerAccountId: values.get(SETTING.providerAccountId),
  };
}
