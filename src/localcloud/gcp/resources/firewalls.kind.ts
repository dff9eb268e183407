import { parseCidr } from '../../common/ipv4.js';
import { computeErrors } from '../compute-error.js';
import { compact, optBool, optEnum, optInt, optObjects, optString, optStrings } from './fields.js';
import type { ResourceKind } from './kind.js';
import { referenced, rowPath } from './references.js';
import type { JsonObject } from '../store/schema.js';

/**
 * Global `firewalls` (VPC firewall rules): `network`, `direction` INGRESS (default) or EGRESS,
 * `priority` 0–65535 (default 1000), exactly one of `allowed` / `denied`
 * (`[{IPProtocol, ports}]`), `sourceRanges` / `destinationRanges`, tags. Stored and returned; the
 * data plane reads them from the view.
 */
export const firewallsKind: ResourceKind = {
  collection: 'firewalls',
  scopeType: 'global',
  kind: 'compute#firewall',
  delay: 'networkProvisioning',
  async create(ctx, _target, input) {
    const network = await referenced(ctx, input, 'network', { collection: 'networks', scope: 'global' });
    const direction = optEnum(input, 'direction', ['INGRESS', 'EGRESS'] as const, 'INGRESS');
    const priority = optInt(input, 'priority') ?? 1000;
    if (priority < 0 || priority > 65535) throw computeErrors.invalidField('resource.priority', priority, 'The priority must be between 0 and 65535.');
    const allowed = protocols(optObjects(input, 'allowed'), 'allowed');
    const denied = protocols(optObjects(input, 'denied'), 'denied');
    if (allowed.length > 0 === denied.length > 0) throw computeErrors.invalid("Exactly one of 'allowed' or 'denied' must be specified.");
    const sourceRanges = ranges(optStrings(input, 'sourceRanges'), 'sourceRanges');
    const destinationRanges = ranges(optStrings(input, 'destinationRanges'), 'destinationRanges');
    return {
      body: compact({
        description: optString(input, 'description'),
        network: rowPath(network.row),
        direction,
        priority,
        ...(allowed.length > 0 ? { allowed } : { denied }),
        sourceRanges: direction === 'INGRESS' && sourceRanges.length === 0 && optStrings(input, 'sourceTags').length === 0 ? ['0.0.0.0/0'] : sourceRanges,
        destinationRanges: direction === 'EGRESS' && destinationRanges.length === 0 ? ['0.0.0.0/0'] : destinationRanges,
        sourceTags: optStrings(input, 'sourceTags'),
        targetTags: optStrings(input, 'targetTags'),
        disabled: optBool(input, 'disabled') ?? false,
        logConfig: { enable: false },
      }),
    };
  },
};

function protocols(list: JsonObject[], field: string): JsonObject[] {
  return list.map((entry, i): JsonObject => {
    const protocol = optString(entry, 'IPProtocol');
    if (!protocol) throw computeErrors.required(`resource.${field}[${i}].IPProtocol`);
    const ports = optStrings(entry, 'ports');
    for (const port of ports) {
      if (!/^\d{1,5}(-\d{1,5})?$/.test(port)) throw computeErrors.invalidField(`resource.${field}[${i}].ports`, port, 'Expected a port or a range of ports.');
    }
    return ports.length > 0 ? { IPProtocol: protocol.toLowerCase(), ports } : { IPProtocol: protocol.toLowerCase() };
  });
}

function ranges(list: string[], field: string): string[] {
  for (const range of list) {
    if (!parseCidr(range.includes('/') ? range : `${range}/32`)) throw computeErrors.invalidField(`resource.${field}`, range, 'Expected an IPv4 CIDR range.');
  }
  return list;
}
