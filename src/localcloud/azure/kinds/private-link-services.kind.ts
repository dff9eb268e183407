import { randomUUID } from 'node:crypto';
import { ArmError, armErrors } from '../arm-error.js';
import { objectList, optBoolean, optObject, optRefId, optString, propertiesOf, stringList } from '../request-body.js';
import { parseResourceId, resourceKey, typePath } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { allocateAddress, releaseForRewrite } from './addresses.js';
import { childObject, renderRow, type ArmContext, type ResourceKind, type WriteTarget } from './kind.js';
import { findFrontend, frontendIdsOf, LOAD_BALANCER_TYPE, PRIVATE_LINK_SERVICE_TYPE } from './load-balancers.kind.js';
import { privateEndpointConnectionsKind, CONNECTION_TYPE } from './private-endpoint-connections.kind.js';
import { resolveReference } from './references.js';

/** The alias consumers use instead of the id: `{name}.{guid}.{location}.azure.privatelinkservice`. */
export function aliasOf(row: ResourceRow): string {
  return `${row.name}.${String(row.properties.$guid)}.${row.location ?? ''}.azure.privatelinkservice`;
}

/** Subscriptions listed in a service's `visibility` or `autoApproval`. */
export function subscriptionsOf(row: ResourceRow, field: 'visibility' | 'autoApproval'): string[] {
  const set = row.properties[field] as JsonObject | undefined;
  return Array.isArray(set?.subscriptions) ? set.subscriptions.filter((s): s is string => typeof s === 'string') : [];
}

/** Whether `subscriptionId` is in the list (`*` means everyone), case-insensitively. */
export function listed(list: readonly string[], subscriptionId: string): boolean {
  return list.some((s) => s === '*' || s.toLowerCase() === subscriptionId.toLowerCase());
}

/**
 * Private link services (the provider side): behind one or more Standard load balancer frontends,
 * with NAT IP configurations in a subnet whose `privateLinkServiceNetworkPolicies` is Disabled
 * (Azure: "In order to choose a private link service NAT IP from a given subnet, an explicit
 * disable setting `privateLinkServiceNetworkPolicies` is required"), visibility and auto-approval
 * lists ("Auto-approval is a subset of the visibility array"), the proxy-protocol flag,
 * FQDNs, and the connections private endpoints made to it.
 */
export const privateLinkServicesKind: ResourceKind = {
  type: PRIVATE_LINK_SERVICE_TYPE,
  segment: 'privateLinkServices',
  operations: { get: 'PrivateLinkServices_Get', list: 'PrivateLinkServices_List', put: 'PrivateLinkServices_CreateOrUpdate', delete: 'PrivateLinkServices_Delete' },
  writable: true,
  longRunning: true,
  provisioningDelay: (delays) => delays.privateLinkProvisioning,
  async write(ctx: ArmContext, target: WriteTarget, body: JsonObject, existing: ResourceRow | undefined) {
    const props = propertiesOf(body);
    const frontendRefs = objectList(props.loadBalancerFrontendIpConfigurations, 'properties.loadBalancerFrontendIpConfigurations');
    if (frontendRefs.length === 0)
      throw armErrors.invalidParameter('A private link service needs at least one load balancer frontend IP configuration.', 'properties.loadBalancerFrontendIpConfigurations');
    const frontends: JsonObject[] = [];
    for (const [i, ref] of frontendRefs.entries()) {
      const path = `properties.loadBalancerFrontendIpConfigurations[${i}].id`;
      const id = optString(ref.id, path);
      const parsed = id ? parseResourceId(id) : undefined;
      if (!id || !parsed) throw armErrors.linkedInvalidPropertyId(id ?? '', path);
      if (typePath(parsed) !== 'loadbalancers/frontendipconfigurations') throw armErrors.invalidReferenceType(id, 'loadBalancers/frontendIPConfigurations', path);
      if (parsed.subscriptionId.toLowerCase() !== ctx.principal.subscriptionId.toLowerCase()) {
        throw armErrors.linkedAuthorizationFailed(ctx.principal.clientId, 'Microsoft.Network/loadBalancers/frontendIPConfigurations/join/action', id);
      }
      const lbId = id.slice(0, id.toLowerCase().lastIndexOf('/frontendipconfigurations/'));
      const lb = await ctx.repos.resources.find(resourceKey(lbId));
      if (!lb || lb.type !== LOAD_BALANCER_TYPE || lb.provisioningState === 'Deleting' || !findFrontend(lb, id)) throw armErrors.invalidResourceReference(id, target.id);
      const users = (await ctx.repos.resources.allOfType(PRIVATE_LINK_SERVICE_TYPE)).filter((p) => p.key !== target.key && frontendIdsOf(p).includes(resourceKey(id)));
      if (users.length > 0)
        throw new ArmError(
          400,
          'LoadBalancerFrontendIPConfigurationInUseByPrivateLinkService',
          `Frontend IP configuration ${id} is already used by private link service ${users[0]!.id}.`,
        );
      frontends.push({ id: `${lb.id}/frontendIPConfigurations/${String(findFrontend(lb, id)!.name)}` });
    }
    const configs = objectList(props.ipConfigurations, 'properties.ipConfigurations');
    if (configs.length === 0) throw armErrors.invalidParameter('A private link service needs at least one IP configuration.', 'properties.ipConfigurations');
    const previous = existing ? await releaseForRewrite(ctx, target.key) : new Map<string, string>();
    const ipConfigurations: JsonObject[] = [];
    for (const [i, config] of configs.entries()) {
      const path = `properties.ipConfigurations[${i}]`;
      const name = optString(config.name, `${path}.name`);
      if (!name) throw armErrors.invalidParameter('Every IP configuration needs a name.', `${path}.name`);
      const p = propertiesOf(config, `${path}.properties`);
      const subnet = await resolveReference(
        ctx,
        { id: optRefId(p.subnet, `${path}.properties.subnet`), path: `${path}.properties.subnet.id`, by: target.id },
        { typePath: 'virtualnetworks/subnets', label: 'virtualNetworks/subnets', joinAction: 'Microsoft.Network/virtualNetworks/subnets/join/action' },
      );
      if (subnet.properties.privateLinkServiceNetworkPolicies !== 'Disabled') {
        throw new ArmError(
          400,
          'PrivateLinkServiceNetworkPoliciesCannotBeEnabledOnPrivateLinkServiceSubnet',
          `Private link service network policies cannot be enabled on private link service subnet ${subnet.id}: set privateLinkServiceNetworkPolicies to Disabled.`,
        );
      }
      const requested = optString(p.privateIPAddress, `${path}.properties.privateIPAddress`);
      const method = optString(p.privateIPAllocationMethod, `${path}.properties.privateIPAllocationMethod`) ?? (requested ? 'Static' : 'Dynamic');
      const owner = resourceKey(`${target.id}/ipConfigurations/${name}`);
      const ip = await allocateAddress(ctx, subnet, owner, method.toLowerCase() === 'static' ? requested : undefined, previous.get(owner));
      ipConfigurations.push({
        name,
        properties: {
          privateIPAddress: ip,
          privateIPAllocationMethod: method.toLowerCase() === 'static' ? 'Static' : 'Dynamic',
          subnet: { id: subnet.id },
          primary: optBoolean(p.primary, `${path}.properties.primary`) ?? i === 0,
          privateIPAddressVersion: 'IPv4',
        },
      });
    }
    return {
      $guid: typeof existing?.properties.$guid === 'string' ? existing.properties.$guid : randomUUID(),
      loadBalancerFrontendIpConfigurations: frontends,
      ipConfigurations,
      visibility: { subscriptions: stringList(optObject(props.visibility, 'properties.visibility')?.subscriptions, 'properties.visibility.subscriptions') },
      autoApproval: { subscriptions: stringList(optObject(props.autoApproval, 'properties.autoApproval')?.subscriptions, 'properties.autoApproval.subscriptions') },
      enableProxyProtocol: optBoolean(props.enableProxyProtocol, 'properties.enableProxyProtocol') ?? false,
      fqdns: stringList(props.fqdns, 'properties.fqdns'),
    };
  },
  async properties(ctx: ArmContext, row: ResourceRow) {
    const { $guid, ipConfigurations, ...rest } = row.properties;
    const connections = await ctx.repos.resources.children(row.key, CONNECTION_TYPE);
    const groupId = row.id.slice(0, row.id.toLowerCase().indexOf('/providers/'));
    return {
      ...rest,
      ipConfigurations: (Array.isArray(ipConfigurations) ? (ipConfigurations as JsonObject[]) : []).map((c) =>
        childObject(row.id, row.type, 'ipConfigurations', String(c.name), row.etag, row.provisioningState, c.properties as JsonObject),
      ),
      networkInterfaces: [{ id: `${groupId}/providers/Microsoft.Network/networkInterfaces/${row.name}.nic.${String($guid)}` }],
      alias: aliasOf(row),
      privateEndpointConnections: await Promise.all(connections.map((c) => renderRow(ctx, privateEndpointConnectionsKind, c))),
    };
  },
  async purge(ctx: ArmContext, row: ResourceRow) {
    await ctx.repos.resources.releaseAddresses(row.key);
    for (const connection of await ctx.repos.resources.children(row.key, CONNECTION_TYPE)) await ctx.repos.resources.delete(connection.key);
  },
};
