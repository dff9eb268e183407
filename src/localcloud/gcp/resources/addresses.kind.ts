import { computeErrors } from '../compute-error.js';
import { regionOfScope, regionPath } from '../links.js';
import { compact, optEnum, optString } from './fields.js';
import { allocateAddress } from './ip-allocation.js';
import { setLabels } from './labels.js';
import type { ResourceKind } from './kind.js';
import type { JsonObject } from '../store/schema.js';
import { referenced, rowPath } from './references.js';

/**
 * Regional `addresses`, internal only (`addressType: INTERNAL`): an address of `subnetwork`,
 * the one given or the lowest free one. `purpose` GCE_ENDPOINT (default; what a PSC endpoint
 * reserves) or SHARED_LOADBALANCER_VIP. `status` is IN_USE while a forwarding rule uses it
 * (`users` lists them), RESERVED otherwise.
 */
export const addressesKind: ResourceKind = {
  collection: 'addresses',
  scopeType: 'regional',
  kind: 'compute#address',
  delay: 'loadBalancerProvisioning',
  labelled: true,
  verbs: { setLabels },
  async create(ctx, target, input) {
    const type = optString(input, 'addressType') ?? 'EXTERNAL';
    if (type !== 'INTERNAL') throw computeErrors.invalidField('resource.addressType', type, 'The local cloud emulates internal addresses only: set addressType to INTERNAL.');
    const region = regionOfScope(target.scope)!;
    // INTERNAL_ADDRESSES is enforced with the other quotas before this runs (compute-quotas.ts).
    const subnet = await referenced(ctx, input, 'subnetwork', { collection: 'subnetworks', scope: target.scope });
    if (subnet.path.scope !== target.scope) throw computeErrors.invalidField('resource.subnetwork', rowPath(subnet.row), 'Subnetwork must be in the same region as the address.');
    const address = await allocateAddress(ctx, subnet.row, optString(input, 'address'));
    return {
      body: compact({
        description: optString(input, 'description'),
        address,
        addressType: 'INTERNAL',
        purpose: optEnum(input, 'purpose', ['GCE_ENDPOINT', 'SHARED_LOADBALANCER_VIP'] as const, 'GCE_ENDPOINT'),
        subnetwork: rowPath(subnet.row),
        network: String(subnet.row.body.network),
        ipVersion: 'IPV4',
        prefixLength: 32,
        region: regionPath(target.project, region),
      }),
    };
  },
  async derive(ctx, row): Promise<JsonObject> {
    const users = await addressUsers(ctx, row);
    return users.length > 0 ? { status: 'IN_USE', users } : { status: 'RESERVED' };
  },
  async usedBy(ctx, row) {
    return (await addressUsers(ctx, row))[0];
  },
};

async function addressUsers(ctx: Parameters<NonNullable<ResourceKind['derive']>>[0], row: Parameters<NonNullable<ResourceKind['derive']>>[1]): Promise<string[]> {
  const path = rowPath(row);
  const rules = await ctx.repos.resources.live({ collection: 'forwardingRules', project: row.project, scope: row.scope }, ctx.now);
  return rules.filter((r) => r.body._addressRef === path).map(rowPath);
}
