import { cidrsOverlap, formatIpv4, parseCidr } from '../../common/ipv4.js';
import { computeErrors } from '../compute-error.js';
import { fingerprint } from '../ids.js';
import { regionOfScope, regionPath } from '../links.js';
import { compact, optEnum, optString, reqString } from './fields.js';
import type { ResourceKind } from './kind.js';
import { firstUser, referenced, rowPath } from './references.js';

/**
 * Regional `subnetworks` of a custom-mode network: a primary `ipCidrRange` (/8 to /29, not
 * overlapping another subnetwork of the network in any region), `purpose` PRIVATE (the default)
 * or PRIVATE_SERVICE_CONNECT (a producer's NAT subnet, named in a service attachment's
 * `natSubnets`). `gatewayAddress` is the range's second address, as Compute assigns it.
 */
export const subnetworksKind: ResourceKind = {
  collection: 'subnetworks',
  scopeType: 'regional',
  kind: 'compute#subnetwork',
  delay: 'networkProvisioning',
  fingerprinted: true,
  async create(ctx, target, input) {
    const network = await referenced(ctx, input, 'network', { collection: 'networks', scope: 'global' });
    const range = reqString(input, 'ipCidrRange');
    const cidr = parseCidr(range);
    if (!cidr || cidr.prefix < 8 || cidr.prefix > 29)
      throw computeErrors.invalidField('resource.ipCidrRange', range, 'Invalid IPCidrRange: expected an IPv4 block from /8 to /29 without host bits.');
    const networkPath = rowPath(network.row);
    for (const other of await ctx.repos.resources.live({ collection: 'subnetworks' }, ctx.now)) {
      if (other.body.network !== networkPath) continue;
      const otherCidr = parseCidr(String(other.body.ipCidrRange));
      if (otherCidr && cidrsOverlap(cidr, otherCidr))
        throw computeErrors.invalid(`Invalid IPCidrRange: ${range} conflicts with existing subnetwork '${other.name}' in region '${regionOfScope(other.scope)}'.`);
    }
    const purpose = optEnum(input, 'purpose', ['PRIVATE', 'PRIVATE_SERVICE_CONNECT'] as const, 'PRIVATE');
    const region = regionOfScope(target.scope)!;
    return {
      body: compact({
        description: optString(input, 'description'),
        network: networkPath,
        ipCidrRange: range,
        gatewayAddress: formatIpv4(cidr.network + 1),
        region: regionPath(target.project, region),
        purpose,
        privateIpGoogleAccess: false,
        stackType: 'IPV4_ONLY',
        fingerprint: fingerprint(),
      }),
    };
  },
  usedBy: (ctx, row) =>
    firstUser(ctx, rowPath(row), [
      { collection: 'addresses', field: 'subnetwork' },
      { collection: 'forwardingRules', field: 'subnetwork' },
      { collection: 'serviceAttachments', field: 'natSubnets' },
      { collection: 'networkEndpointGroups', field: 'subnetwork' },
    ]),
};
