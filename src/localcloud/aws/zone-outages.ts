import type { ControlRepository } from './store/control.repository.js';

/** lc_settings key of the impaired zones (a JSON array of zone names). */
export const ZONES_DOWN = 'zones_down';

/** The states an availability zone can be put in: `available`, or `impaired` (an outage). */
export type ZoneState = 'available' | 'impaired';

/**
 * The local cloud's availability-zone fault switch. While a zone is impaired, everything of the
 * data plane in it is gone: the network interfaces of interface endpoints and load balancers in
 * that zone carry no traffic (their addresses refuse connections, and private DNS answers only
 * the other zones' addresses) and targets in it receive none. The control plane still answers
 * (DescribeAvailabilityZones shows `zoneState` `impaired`; endpoints keep their state), as during
 * an AWS zonal outage. Stored in the emulator's settings: shared by every process on the store.
 */
export async function zonesDown(control: ControlRepository): Promise<ReadonlySet<string>> {
  return parseZonesDown(await control.getSetting(ZONES_DOWN));
}

/** The impaired zones from the setting's stored value (undefined: none). */
export function parseZonesDown(raw: string | undefined | null): ReadonlySet<string> {
  if (!raw) return new Set();
  const parsed = JSON.parse(raw) as unknown;
  return new Set(Array.isArray(parsed) ? parsed.filter((z): z is string => typeof z === 'string') : []);
}

/** Puts `zoneName` in `state`; idempotent. */
export async function setZoneState(control: ControlRepository, zoneName: string, state: ZoneState): Promise<void> {
  const down = new Set(await zonesDown(control));
  if (state === 'impaired') down.add(zoneName);
  else down.delete(zoneName);
  await control.setSetting(ZONES_DOWN, JSON.stringify([...down].sort()));
}
