import { armErrors } from '../arm-error.js';
import { objectList, optObject, optString, propertiesOf, stringList } from '../request-body.js';
import { parseCidr } from '../../common/ipv4.js';
import { isResourceName, resourceKey } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { newEtag, type ArmContext, type ResourceKind, type WriteTarget } from './kind.js';
import { assertSubnetFree, renderSubnets, SUBNET_TYPE, subnetProperties, VNET_TYPE } from './subnets.kind.js';

/**
 * Virtual networks with their address space and inline subnets. As in Azure, a PUT states the
 * whole network: subnets it does not list are deleted (refused while they hold addresses), so a
 * caller that manages subnets separately sends them back with each PUT.
 */
export const virtualNetworksKind: ResourceKind = {
  type: VNET_TYPE,
  segment: 'virtualNetworks',
  operations: {
    get: 'VirtualNetworks_Get',
    list: 'VirtualNetworks_List',
    put: 'VirtualNetworks_CreateOrUpdate',
    delete: 'VirtualNetworks_Delete',
    updateTags: 'VirtualNetworks_UpdateTags',
  },
  writable: true,
  longRunning: true,
  provisioningDelay: (delays) => delays.networkProvisioning,
  async write(ctx: ArmContext, target: WriteTarget, body: JsonObject) {
    const props = propertiesOf(body);
    const space = optObject(props.addressSpace, 'properties.addressSpace');
    const prefixes = stringList(space?.addressPrefixes, 'properties.addressSpace.addressPrefixes');
    if (prefixes.length === 0)
      throw armErrors.invalidParameter('The virtual network needs at least one address prefix in properties.addressSpace.addressPrefixes.', 'properties.addressSpace');
    const blocks = prefixes.map((p) => {
      const cidr = parseCidr(p);
      if (!cidr) throw armErrors.invalidAddressPrefix(p, target.id);
      return cidr;
    });
    const bodies = objectList(props.subnets, 'properties.subnets');
    const requested = bodies.map((b, i) => ({ body: b, name: optString(b.name, `properties.subnets[${i}].name`) ?? '', path: `properties.subnets[${i}].` }));
    const siblings = requested.map((r) => {
      const p = optObject(r.body.properties, `${r.path}properties`) ?? {};
      return {
        name: r.name,
        prefix: typeof p.addressPrefix === 'string' ? p.addressPrefix : Array.isArray(p.addressPrefixes) && typeof p.addressPrefixes[0] === 'string' ? p.addressPrefixes[0] : '',
      };
    });
    const existing = await ctx.repos.resources.children(target.key, SUBNET_TYPE);
    const keep = new Set<string>();
    const delay = virtualNetworksKind.provisioningDelay(ctx.delays);
    for (const r of requested) {
      if (!r.name) throw armErrors.invalidParameter('Every subnet needs a name.', `${r.path}name`);
      if (!isResourceName(r.name)) throw armErrors.invalidResourceName(r.name);
      const id = `${target.id}/subnets/${r.name}`;
      const key = resourceKey(id);
      const subnetProps = await subnetProperties(ctx, { id, name: r.name, body: r.body, path: r.path }, { name: target.name, prefixes: blocks }, siblings);
      const old = existing.find((s) => s.key === key);
      if (old && old.properties.addressPrefix !== subnetProps.addressPrefix) await assertSubnetFree(ctx, old);
      keep.add(key);
      await ctx.repos.resources.save({
        key,
        id: old?.id ?? id,
        subscriptionId: target.subscriptionId,
        resourceGroupKey: target.resourceGroupKey,
        type: SUBNET_TYPE,
        parentKey: target.key,
        name: old?.name ?? r.name,
        location: null,
        tags: {},
        etag: newEtag(),
        properties: subnetProps,
        provisioningState: delay > 0 ? 'Updating' : 'Succeeded',
        nextState: delay > 0 ? 'Succeeded' : null,
        nextStateAt: delay > 0 ? new Date(ctx.now.getTime() + delay) : null,
        createdAt: old?.createdAt ?? ctx.now,
      });
    }
    for (const old of existing) {
      if (keep.has(old.key)) continue;
      await assertSubnetFree(ctx, old);
      await ctx.repos.resources.delete(old.key);
    }
    const out: JsonObject = { addressSpace: { addressPrefixes: prefixes } };
    const ddos = props.enableDdosProtection;
    if (typeof ddos === 'boolean') out.enableDdosProtection = ddos;
    return out;
  },
  async properties(ctx: ArmContext, row: ResourceRow) {
    return { ...row.properties, subnets: await renderSubnets(ctx, row), virtualNetworkPeerings: [], enableDdosProtection: row.properties.enableDdosProtection ?? false };
  },
  async beforeDelete(ctx: ArmContext, row: ResourceRow) {
    for (const subnet of await ctx.repos.resources.children(row.key, SUBNET_TYPE)) await assertSubnetFree(ctx, subnet);
  },
  async purge(ctx: ArmContext, row: ResourceRow) {
    for (const subnet of await ctx.repos.resources.children(row.key, SUBNET_TYPE)) await ctx.repos.resources.delete(subnet.key);
  },
};
