import type { ActionContext } from '../action-context.js';
import { allRegions, type AvailabilityZone, type Region } from '../geography.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { invalidParameterValue, optionalBoolean, required } from './ec2-errors.js';
import { setZoneState, zonesDown, type ZoneState } from '../zone-outages.js';
import { applyFilters } from './filters.js';
import { namedAmong } from '../../common/named-rows.js';

/** DescribeRegions: `RegionName.N`, `AllRegions`, filters region-name, endpoint, opt-in-status. */
export async function describeRegions(ctx: ActionContext): Promise<Xml> {
  const names = ctx.params.list('RegionName');
  optionalBoolean(ctx.params, 'AllRegions');
  let regions: Region[] = namedAmong(
    allRegions(),
    names,
    (region) => region.regionName,
    (name) => invalidParameterValue(`Invalid region name: ${name}`),
  );
  regions = applyFilters(regions, parseFilters(ctx.params), {
    'region-name': (r) => r.regionName,
    endpoint: (r) => `ec2.${r.regionName}.amazonaws.com`,
    'opt-in-status': (r) => r.optInStatus,
  });
  return list('regionInfo', 'item', regions, (region) =>
    xml(leaf('regionName', region.regionName), leaf('regionEndpoint', `ec2.${region.regionName}.amazonaws.com`), leaf('optInStatus', region.optInStatus)),
  );
}

/**
 * DescribeAvailabilityZones of the request's region: `ZoneName.N`, `ZoneId.N`, filters
 * zone-name, zone-id, region-name, state, zone-type, group-name, opt-in-status. A zone taken down
 * with the fault switch (PrivlinkSetAvailabilityZoneState) shows `zoneState` `impaired`.
 */
export async function describeAvailabilityZones(ctx: ActionContext): Promise<Xml> {
  const names = ctx.params.list('ZoneName');
  const ids = ctx.params.list('ZoneId');
  optionalBoolean(ctx.params, 'AllAvailabilityZones');
  const zones = ctx.region.zones;
  for (const wanted of [...names, ...ids]) {
    if (!zones.some((zone) => zone.zoneName === wanted || zone.zoneId === wanted)) throw invalidParameterValue(`Invalid availability zone: [${wanted}]`);
  }
  const down = await zonesDown(ctx.repos.control);
  let selected: AvailabilityZone[] = zones.filter((zone) => (names.length === 0 && ids.length === 0) || names.includes(zone.zoneName) || ids.includes(zone.zoneId));
  selected = applyFilters(selected, parseFilters(ctx.params), {
    'zone-name': (z) => z.zoneName,
    'zone-id': (z) => z.zoneId,
    'region-name': (z) => z.regionName,
    state: (z) => (down.has(z.zoneName) ? 'impaired' : 'available'),
    'zone-type': () => 'availability-zone',
    'group-name': (z) => z.regionName,
    'opt-in-status': () => 'opt-in-not-required',
  });
  return renderZones(selected, down);
}

/**
 * PrivlinkSetAvailabilityZoneState — a privlink extension, not an AWS action: the local cloud's
 * fault switch for one availability zone of the request's region (`ZoneName` or a zone id,
 * `State` `impaired` | `available`; see zone-outages.ts). Answers as DescribeAvailabilityZones for
 * that zone, so any EC2 client can read the result.
 */
export async function setAvailabilityZoneState(ctx: ActionContext): Promise<Xml> {
  // `ZoneName` or, as DescribeAvailabilityZones spells it, `ZoneName.1`.
  const wanted = ctx.params.get('ZoneName') || ctx.params.list('ZoneName')[0] || required(ctx.params, 'ZoneName');
  const zone = ctx.region.zones.find((z) => z.zoneName === wanted || z.zoneId === wanted);
  if (!zone) throw invalidParameterValue(`Invalid availability zone: [${wanted}]`);
  const state = required(ctx.params, 'State');
  if (state !== 'impaired' && state !== 'available') throw invalidParameterValue(`Value (${state}) for parameter State is invalid. Expected: 'impaired' or 'available'.`);
  await setZoneState(ctx.repos.control, zone.zoneName, state as ZoneState);
  return renderZones([zone], await zonesDown(ctx.repos.control));
}

function renderZones(selected: readonly AvailabilityZone[], down: ReadonlySet<string>): Xml {
  return list('availabilityZoneInfo', 'item', selected, (zone) =>
    xml(
      leaf('zoneName', zone.zoneName),
      leaf('zoneState', down.has(zone.zoneName) ? 'impaired' : 'available'),
      leaf('regionName', zone.regionName),
      element('messageSet'),
      leaf('optInStatus', 'opt-in-not-required'),
      leaf('zoneId', zone.zoneId),
      leaf('groupName', zone.regionName),
      leaf('networkBorderGroup', zone.regionName),
      leaf('zoneType', 'availability-zone'),
      leaf('groupLongName', zone.regionName),
    ),
  );
}
