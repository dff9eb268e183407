import { randomInt, randomUUID } from 'node:crypto';
import { armErrors } from '../arm-error.js';
import { objectList, optRefId, optString, propertiesOf, stringList } from '../request-body.js';
import { parseResourceId, resourceKey, typePath } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { allocateAddress, releaseForRewrite } from './addresses.js';
import { newEtag, type ArmContext, type ResourceKind, type WriteTarget } from './kind.js';
import { PRIVATE_LINK_SERVICE_TYPE } from './load-balancers.kind.js';
import { CONNECTION_TYPE, type ConnectionStatus } from './private-endpoint-connections.kind.js';
import { aliasOf, listed, subscriptionsOf } from './private-link-services.kind.js';
import { resolveReference } from './references.js';
import { PRIVATE_ENDPOINT_TYPE } from './subnets.kind.js';

export const NETWORK_INTERFACE_TYPE = 'Microsoft.Network/networkInterfaces';

/** What a private endpoint stores about its one connection. */
interface StoredConnection {
  readonly manual: boolean;
  readonly name: string;
  readonly privateLinkServiceId: string;
  readonly groupIds: string[];
  readonly requestMessage: string;
  /** Key of the connection row on the private link service. */
  readonly connectionKey: string;
}

/**
 * Finds the private link service a consumer names, by resource id or by alias. A service that
 * does not exist and one whose visibility excludes the caller's subscription look the same
 * (PrivateLinkServiceNotFound): the owner's own subscription always sees it.
 */
async function resolveService(ctx: ArmContext, reference: string): Promise<ResourceRow> {
  let row: ResourceRow | undefined;
  const parsed = parseResourceId(reference);
  if (parsed) {
    if (parsed.namespace.toLowerCase() === 'microsoft.network' && typePath(parsed) === 'privatelinkservices') row = await ctx.repos.resources.find(resourceKey(reference));
  } else {
    row = (await ctx.repos.resources.allOfType(PRIVATE_LINK_SERVICE_TYPE)).find((pls) => aliasOf(pls).toLowerCase() === reference.toLowerCase());
  }
  const caller = ctx.principal.subscriptionId;
  if (!row || row.provisioningState === 'Deleting') throw armErrors.privateLinkServiceNotFound(reference);
  if (row.subscriptionId.toLowerCase() !== caller.toLowerCase() && !listed(subscriptionsOf(row, 'visibility'), caller)) throw armErrors.privateLinkServiceNotFound(reference);
  return row;
}

/**
 * checkPrivateLinkServiceVisibility: whether the caller's subscription may connect to the service
 * with this alias (or id). Unknown services are simply not visible.
 */
export async function isVisible(ctx: ArmContext, reference: string): Promise<boolean> {
  try {
    await resolveService(ctx, reference);
    return true;
  } catch {
    return false;
  }
}

/**
 * Private endpoints (the consumer side): a network interface in the consumer's subnet with a
 * private IP, and one connection to a private link service. A manual request
 * (`manualPrivateLinkServiceConnections`) is Pending until the owner approves, unless the
 * consumer's subscription is in the service's auto-approval list. An automatic one
 * (`privateLinkServiceConnections`) is Approved when the consumer may approve it itself — it
 * owns the service, or is auto-approved — and otherwise stays Pending like a manual one.
 */
export const privateEndpointsKind: ResourceKind = {
  type: PRIVATE_ENDPOINT_TYPE,
  segment: 'privateEndpoints',
  operations: { get: 'PrivateEndpoints_Get', list: 'PrivateEndpoints_List', put: 'PrivateEndpoints_CreateOrUpdate', delete: 'PrivateEndpoints_Delete' },
  writable: true,
  longRunning: true,
  provisioningDelay: (delays) => delays.privateLinkProvisioning,
  async write(ctx: ArmContext, target: WriteTarget, body: JsonObject, existing: ResourceRow | undefined) {
    const props = propertiesOf(body);
    const subnet = await resolveReference(
      ctx,
      { id: optRefId(props.subnet, 'properties.subnet'), path: 'properties.subnet.id', by: target.id },
      { typePath: 'virtualnetworks/subnets', label: 'virtualNetworks/subnets', joinAction: 'Microsoft.Network/virtualNetworks/subnets/join/action' },
    );
    const manual = objectList(props.manualPrivateLinkServiceConnections, 'properties.manualPrivateLinkServiceConnections');
    const auto = objectList(props.privateLinkServiceConnections, 'properties.privateLinkServiceConnections');
    if (manual.length + auto.length !== 1) {
      throw armErrors.invalidParameter(
        'A private endpoint needs exactly one private link service connection (manualPrivateLinkServiceConnections or privateLinkServiceConnections).',
        'properties',
      );
    }
    const isManual = manual.length === 1;
    const field = isManual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections';
    const request = (isManual ? manual : auto)[0]!;
    const name = optString(request.name, `properties.${field}[0].name`);
    if (!name) throw armErrors.invalidParameter('The private link service connection needs a name.', `properties.${field}[0].name`);
    const requestProps = propertiesOf(request, `properties.${field}[0].properties`);
    const reference = optString(requestProps.privateLinkServiceId, `properties.${field}[0].properties.privateLinkServiceId`);
    if (!reference)
      throw armErrors.invalidParameter(
        'The private link service connection needs a privateLinkServiceId (a resource id or an alias).',
        `properties.${field}[0].properties.privateLinkServiceId`,
      );
    const service = await resolveService(ctx, reference);
    const requestMessage = optString(requestProps.requestMessage, `properties.${field}[0].properties.requestMessage`) ?? '';
    const groupIds = stringList(requestProps.groupIds, `properties.${field}[0].properties.groupIds`);

    const guid = typeof existing?.properties.$guid === 'string' ? existing.properties.$guid : randomUUID();
    const before = existing?.properties.$connection as unknown as StoredConnection | undefined;
    let connectionKey = before?.connectionKey;
    const sameService = before && resourceKey(before.privateLinkServiceId) === resourceKey(service.id) && connectionKey && (await ctx.repos.resources.find(connectionKey));
    if (!sameService) {
      if (connectionKey) await ctx.repos.resources.delete(connectionKey);
      const caller = ctx.principal.subscriptionId;
      const autoApproved = listed(subscriptionsOf(service, 'autoApproval'), caller);
      const owner = service.subscriptionId.toLowerCase() === caller.toLowerCase();
      const status: ConnectionStatus = autoApproved || (!isManual && owner) ? 'Approved' : 'Pending';
      const connectionId = `${service.id}/privateEndpointConnections/${target.name}.${guid}`;
      connectionKey = resourceKey(connectionId);
      await ctx.repos.resources.save({
        key: connectionKey,
        id: connectionId,
        subscriptionId: service.subscriptionId,
        resourceGroupKey: service.resourceGroupKey,
        type: CONNECTION_TYPE,
        parentKey: service.key,
        name: `${target.name}.${guid}`,
        location: null,
        tags: {},
        etag: newEtag(),
        properties: {
          privateEndpoint: { id: target.id },
          privateLinkServiceConnectionState: { status, description: status === 'Approved' ? 'Auto-Approved' : requestMessage, actionsRequired: 'None' },
          linkIdentifier: String(randomInt(1 << 28, 2 ** 31 - 1)),
          privateEndpointLocation: target.location,
        },
        provisioningState: 'Succeeded',
        nextState: null,
        nextStateAt: null,
        createdAt: ctx.now,
      });
    }

    const groupId = target.id.slice(0, target.id.toLowerCase().indexOf('/providers/'));
    const customName = optString(props.customNetworkInterfaceName, 'properties.customNetworkInterfaceName');
    const nicId =
      typeof existing?.properties.$nicId === 'string'
        ? existing.properties.$nicId
        : `${groupId}/providers/Microsoft.Network/networkInterfaces/${customName ?? `${target.name}.nic.${guid}`}`;
    const nicKey = resourceKey(nicId);
    const previous = await releaseForRewrite(ctx, nicKey);
    const ip = await allocateAddress(ctx, subnet, nicKey, undefined, previous.get(nicKey));
    const existingNic = await ctx.repos.resources.find(nicKey);
    await ctx.repos.resources.save({
      key: nicKey,
      id: nicId,
      subscriptionId: target.subscriptionId,
      resourceGroupKey: target.resourceGroupKey,
      type: NETWORK_INTERFACE_TYPE,
      parentKey: null,
      name: nicId.slice(nicId.lastIndexOf('/') + 1),
      location: target.location,
      tags: {},
      etag: newEtag(),
      properties: {
        ipConfigurations: [
          {
            name: `privateEndpointIpConfig.${guid}`,
            properties: {
              privateIPAddress: ip,
              privateIPAllocationMethod: 'Dynamic',
              subnet: { id: subnet.id },
              primary: true,
              privateIPAddressVersion: 'IPv4',
              privateLinkConnectionProperties: { groupId: groupIds[0] ?? '', requiredMemberName: groupIds[0] ?? '', fqdns: stringList(service.properties.fqdns, 'fqdns') },
            },
          },
        ],
        privateEndpoint: { id: target.id },
        nicType: 'Standard',
        enableAcceleratedNetworking: false,
        enableIPForwarding: false,
        dnsSettings: { dnsServers: [], appliedDnsServers: [] },
        hostedWorkloads: [],
        tapConfigurations: [],
        allowPort25Out: false,
      },
      provisioningState: 'Succeeded',
      nextState: null,
      nextStateAt: null,
      createdAt: existingNic?.createdAt ?? ctx.now,
    });
    const connection: StoredConnection = { manual: isManual, name, privateLinkServiceId: service.id, groupIds, requestMessage, connectionKey: connectionKey! };
    const out: JsonObject = { $guid: guid, $nicId: nicId, $ip: ip, $connection: connection as unknown as JsonObject, subnet: { id: subnet.id } };
    if (customName) out.customNetworkInterfaceName = customName;
    return out;
  },
  async properties(ctx: ArmContext, row: ResourceRow) {
    const connection = row.properties.$connection as unknown as StoredConnection;
    const onService = await ctx.repos.resources.find(connection.connectionKey);
    const service = await ctx.repos.resources.find(resourceKey(connection.privateLinkServiceId));
    const state = onService
      ? (onService.properties.privateLinkServiceConnectionState as JsonObject)
      : { status: 'Disconnected', description: 'The private link service connection was removed by the service owner.', actionsRequired: 'None' };
    const collection = connection.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections';
    const rendered: JsonObject = {
      name: connection.name,
      id: `${row.id}/${collection}/${connection.name}`,
      etag: row.etag,
      type: `${row.type}/${collection}`,
      properties: {
        provisioningState: row.provisioningState,
        privateLinkServiceId: connection.privateLinkServiceId,
        groupIds: connection.groupIds,
        ...(connection.requestMessage ? { requestMessage: connection.requestMessage } : {}),
        privateLinkServiceConnectionState: state,
      },
    };
    const ip = String(row.properties.$ip);
    const fqdns = service ? stringList(service.properties.fqdns, 'fqdns') : [];
    const out: JsonObject = {
      subnet: row.properties.subnet ?? null,
      networkInterfaces: [{ id: String(row.properties.$nicId) }],
      privateLinkServiceConnections: connection.manual ? [] : [rendered],
      manualPrivateLinkServiceConnections: connection.manual ? [rendered] : [],
      customDnsConfigs: fqdns.length > 0 ? fqdns.map((fqdn) => ({ fqdn, ipAddresses: [ip] })) : [{ ipAddresses: [ip] }],
      ipConfigurations: [],
      applicationSecurityGroups: [],
      ipVersionType: 'IPv4',
    };
    if (typeof row.properties.customNetworkInterfaceName === 'string') out.customNetworkInterfaceName = row.properties.customNetworkInterfaceName;
    return out;
  },
  async purge(ctx: ArmContext, row: ResourceRow) {
    const connection = row.properties.$connection as unknown as StoredConnection | undefined;
    if (connection?.connectionKey) await ctx.repos.resources.delete(connection.connectionKey);
    const nicKey = resourceKey(String(row.properties.$nicId));
    await ctx.repos.resources.releaseAddresses(nicKey);
    await ctx.repos.resources.delete(nicKey);
  },
};

/** Network interfaces: read-only here, made with private endpoints. */
export const networkInterfacesKind: ResourceKind = {
  type: NETWORK_INTERFACE_TYPE,
  segment: 'networkInterfaces',
  operations: { get: 'NetworkInterfaces_Get', list: 'NetworkInterfaces_List', put: 'NetworkInterfaces_CreateOrUpdate', delete: 'NetworkInterfaces_Delete' },
  writable: false,
  longRunning: true,
  provisioningDelay: () => 0,
  async write() {
    return {};
  },
  async properties(_ctx: ArmContext, row: ResourceRow) {
    const configs = Array.isArray(row.properties.ipConfigurations) ? (row.properties.ipConfigurations as JsonObject[]) : [];
    return {
      ...row.properties,
      ipConfigurations: configs.map((c) => ({
        name: c.name ?? '',
        id: `${row.id}/ipConfigurations/${String(c.name)}`,
        etag: row.etag,
        type: `${row.type}/ipConfigurations`,
        properties: { provisioningState: row.provisioningState, ...(c.properties as JsonObject) },
      })),
    };
  },
  async purge() {},
};
