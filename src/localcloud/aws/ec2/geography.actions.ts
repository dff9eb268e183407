import type { ActionContext } from '../action-context.js';
import { allRegions, type AvailabilityZone, type Region } from '../geography.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { invalidParameterValue, optionalBoolean } from './ec2-errors.js';
import { applyFilters } from './filters.js';

/** DescribeRegions: `RegionName.N`, `AllRegions`, filters region-name, endpoint, opt-in-status. */
export async function describeRegions(ctx: ActionContext): Promise<Xml> {
  const names = ctx.params.list('RegionName');
  optionalBoolean(ctx.params, 'AllRegions');
  let regions: Region[] = [...allRegions()];
  for (const name of names) {
    if (!regions.some((region) => region.regionName === name)) throw invalidParameterValue(`Invalid region name: ${name}`);
  }
  if (names.length > 0) regions = regions.filter((region) => names.includes(region.regionName));
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
 * zone-name, zone-id, region-name, state, zone-type, group-name, opt-in-status.
 */
export async function describeAvailabilityZones(ctx: ActionContext): Promise<Xml> {
  const names = ctx.params.list('ZoneName');
  const ids = ctx.params.list('ZoneId');
  optionalBoolean(ctx.params, 'AllAvailabilityZones');
  const zones = ctx.region.zones;
  for (const wanted of [...names, ...ids]) {
    if (!zones.some((zone) => zone.zoneName === wanted || zone.zoneId === wanted)) throw invalidParameterValue(`Invalid availability zone: [${wanted}]`);
  }
  let selected: AvailabilityZone[] = zones.filter((zone) => (names.length === 0 && ids.length === 0) || names.includes(zone.zoneName) || ids.includes(zone.zoneId));
  selected = applyFilters(selected, parseFilters(ctx.params), {
    'zone-name': (z) => z.zoneName,
    'zone-id': (z) => z.zoneId,
    'region-name': (z) => z.regionName,
    state: () => 'available',
    'zone-type': () => 'availability-zone',
    'group-name': (z) => z.regionName,
    'opt-in-status': () => 'opt-in-not-required',
  });
  return list('availabilityZoneInfo', 'item', selected, (zone) =>
    xml(
      leaf('zoneName', zone.zoneName),
      leaf('zoneState', 'available'),
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
