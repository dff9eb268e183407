import { computeErrors } from '../compute-error.js';
import { isVisible } from '../store/resources.repository.js';
import { compact, optBool, optInt, optString } from './fields.js';
import type { ResourceKind } from './kind.js';
import type { JsonObject } from '../store/schema.js';
import { firstUser, rowPath } from './references.js';

/**
 * Global `networks`: custom-mode VPC networks. Auto mode (`autoCreateSubnetworks: true`) and
 * legacy networks (`IPv4Range`) are refused: PSC needs subnetworks the user places.
 * `subnetworks` lists the network's subnetwork links.
 */
export const networksKind: ResourceKind = {
  collection: 'networks',
  scopeType: 'global',
  kind: 'compute#network',
  delay: 'networkProvisioning',
  async create(_ctx, _target, input) {
    if (optBool(input, 'autoCreateSubnetworks') === true)
      throw computeErrors.invalidField('resource.autoCreateSubnetworks', 'true', 'The local cloud emulates custom-mode networks only: set autoCreateSubnetworks to false.');
    if (input.IPv4Range !== undefined) throw computeErrors.invalidField('resource.IPv4Range', input.IPv4Range, 'Legacy networks are not supported.');
    const mtu = optInt(input, 'mtu') ?? 1460;
    if (mtu < 1300 || mtu > 8896) throw computeErrors.invalidField('resource.mtu', mtu, 'The MTU must be between 1300 and 8896.');
    const routingMode = optString((input.routingConfig as never) ?? {}, 'routingMode') ?? 'REGIONAL';
    return {
      body: compact({
        description: optString(input, 'description'),
        autoCreateSubnetworks: false,
        routingConfig: { routingMode },
        mtu,
        networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
      }),
    };
  },
  async derive(ctx, row): Promise<JsonObject> {
    const path = rowPath(row);
    const subnets = (await ctx.repos.resources.live({ collection: 'subnetworks' }, ctx.now)).filter((s) => s.body.network === path && isVisible(s, ctx.now));
    return subnets.length > 0 ? { subnetworks: subnets.map(rowPath) } : {};
  },
  usedBy: (ctx, row) =>
    firstUser(ctx, rowPath(row), [
      { collection: 'subnetworks', field: 'network' },
      { collection: 'firewalls', field: 'network' },
      { collection: 'forwardingRules', field: 'network' },
      { collection: 'networkEndpointGroups', field: 'network' },
    ]),
};
