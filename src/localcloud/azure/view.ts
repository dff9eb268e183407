import { aliasOf, subscriptionsOf } from './kinds/private-link-services.kind.js';
import { CONNECTION_TYPE } from './kinds/private-endpoint-connections.kind.js';
import { LOAD_BALANCER_TYPE, PRIVATE_LINK_SERVICE_TYPE } from './kinds/load-balancers.kind.js';
import { NSG_TYPE } from './kinds/network-security-groups.kind.js';
import { PRIVATE_ENDPOINT_TYPE, SUBNET_TYPE, VNET_TYPE } from './kinds/subnets.kind.js';
import type { ResourceRow } from './store/resources.repository.js';
import type { AzureRepositories } from './store/repositories.js';
import type { JsonObject, JsonValue } from './store/schema.js';
import type { AzurePrivateEndpointConnectionView, AzureSecurityRuleView, AzureView } from './view-model.js';

const list = (value: JsonValue | undefined): JsonObject[] => (Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object' && !Array.isArray(v)) as JsonObject[]) : []);
const strings = (value: JsonValue | undefined): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const props = (item: JsonObject): JsonObject => (item.properties && typeof item.properties === 'object' && !Array.isArray(item.properties) ? (item.properties as JsonObject) : {});
const ref = (value: JsonValue | undefined): string | null => (value && typeof value === 'object' && !Array.isArray(value) && typeof value.id === 'string' ? value.id : null);

function located(row: ResourceRow, groupNames: Map<string, string>) {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    resourceGroup: groupNames.get(`${row.subscriptionId}|${row.resourceGroupKey}`) ?? row.resourceGroupKey,
    name: row.name,
    location: row.location ?? '',
    provisioningState: row.provisioningState,
  };
}

function connectionView(row: ResourceRow): AzurePrivateEndpointConnectionView {
  const state = (row.properties.privateLinkServiceConnectionState ?? {}) as JsonObject;
  return {
    id: row.id,
    name: row.name,
    privateEndpointId: ref(row.properties.privateEndpoint) ?? '',
    linkIdentifier: String(row.properties.linkIdentifier ?? ''),
    status: (['Pending', 'Approved', 'Rejected'] as const).find((s) => s === state.status) ?? 'Disconnected',
    description: typeof state.description === 'string' ? state.description : '',
  };
}

function ruleView(rule: JsonObject): AzureSecurityRuleView {
  const p = props(rule);
  const merged = (single: string, many: string) => [...(typeof p[single] === 'string' ? [p[single]] : []), ...strings(p[many])];
  return {
    name: String(rule.name ?? ''),
    priority: Number(p.priority),
    direction: p.direction === 'Outbound' ? 'Outbound' : 'Inbound',
    access: p.access === 'Deny' ? 'Deny' : 'Allow',
    protocol: String(p.protocol ?? '*'),
    sourceAddressPrefixes: merged('sourceAddressPrefix', 'sourceAddressPrefixes'),
    destinationAddressPrefixes: merged('destinationAddressPrefix', 'destinationAddressPrefixes'),
    sourcePortRanges: merged('sourcePortRange', 'sourcePortRanges'),
    destinationPortRanges: merged('destinationPortRange', 'destinationPortRanges'),
  };
}

/**
 * Builds the read model from the stored rows (call inside a transaction after advancing due rows);
 * `nextTransitionAt` is when the first resource's next state falls due (dueTimes), read in the
 * same transaction.
 */
export async function buildView(repos: AzureRepositories, groupNames: Map<string, string>, at: Date, nextTransitionAt: Date | undefined): Promise<AzureView> {
  // One query for every type the view shows.
  const byType = await repos.resources.allOfTypes([VNET_TYPE, SUBNET_TYPE, NSG_TYPE, LOAD_BALANCER_TYPE, PRIVATE_LINK_SERVICE_TYPE, CONNECTION_TYPE, PRIVATE_ENDPOINT_TYPE]);
  const of = (type: string): ResourceRow[] => byType.get(type) ?? [];
  const [vnets, subnets, nsgs, lbs, services, connections, endpoints] = [
    of(VNET_TYPE),
    of(SUBNET_TYPE),
    of(NSG_TYPE),
    of(LOAD_BALANCER_TYPE),
    of(PRIVATE_LINK_SERVICE_TYPE),
    of(CONNECTION_TYPE),
    of(PRIVATE_ENDPOINT_TYPE),
  ];
  const connectionsByKey = new Map(connections.map((c) => [c.key, c]));
  return {
    takenAt: at,
    nextTransitionAt: nextTransitionAt ?? null,
    virtualNetworks: vnets.map((vnet) => ({
      ...located(vnet, groupNames),
      addressPrefixes: strings(((vnet.properties.addressSpace ?? {}) as JsonObject).addressPrefixes),
      subnets: subnets
        .filter((s) => s.parentKey === vnet.key)
        .map((s) => ({
          id: s.id,
          name: s.name,
          addressPrefix: String(s.properties.addressPrefix ?? ''),
          networkSecurityGroupId: ref(s.properties.networkSecurityGroup),
          privateEndpointNetworkPolicies: String(s.properties.privateEndpointNetworkPolicies ?? 'Disabled'),
          privateLinkServiceNetworkPolicies: String(s.properties.privateLinkServiceNetworkPolicies ?? 'Enabled'),
        })),
    })),
    networkSecurityGroups: nsgs.map((nsg) => ({
      ...located(nsg, groupNames),
      securityRules: list(nsg.properties.securityRules)
        .map(ruleView)
        .sort((a, b) => a.priority - b.priority),
    })),
    loadBalancers: lbs.map((lb) => {
      const childId = (collection: string, name: JsonValue | undefined) => `${lb.id}/${collection}/${String(name)}`;
      return {
        ...located(lb, groupNames),
        frontends: list(lb.properties.frontendIPConfigurations).map((f) => ({
          id: childId('frontendIPConfigurations', f.name),
          name: String(f.name),
          subnetId: ref(props(f).subnet) ?? '',
          privateIpAddress: String(props(f).privateIPAddress ?? ''),
        })),
        backendPools: list(lb.properties.backendAddressPools).map((p) => ({
          id: childId('backendAddressPools', p.name),
          name: String(p.name),
          addresses: list(props(p).loadBalancerBackendAddresses).map((a) => ({ name: String(a.name), ipAddress: String(props(a).ipAddress ?? '') })),
        })),
        rules: list(lb.properties.loadBalancingRules).map((r) => ({
          id: childId('loadBalancingRules', r.name),
          name: String(r.name),
          frontendId: ref(props(r).frontendIPConfiguration) ?? '',
          backendPoolId: ref(props(r).backendAddressPool),
          protocol: String(props(r).protocol),
          frontendPort: Number(props(r).frontendPort),
          backendPort: Number(props(r).backendPort),
        })),
        inboundNatRules: list(lb.properties.inboundNatRules).map((r) => ({
          id: childId('inboundNatRules', r.name),
          name: String(r.name),
          frontendId: ref(props(r).frontendIPConfiguration) ?? '',
          protocol: String(props(r).protocol),
          frontendPort: typeof props(r).frontendPort === 'number' ? (props(r).frontendPort as number) : null,
          backendPort: Number(props(r).backendPort),
        })),
      };
    }),
    privateLinkServices: services.map((pls) => ({
      ...located(pls, groupNames),
      alias: aliasOf(pls),
      loadBalancerFrontendIds: list(pls.properties.loadBalancerFrontendIpConfigurations).flatMap((f) => (typeof f.id === 'string' ? [f.id] : [])),
      natIpAddresses: list(pls.properties.ipConfigurations).map((c) => String(props(c).privateIPAddress ?? '')),
      enableProxyProtocol: pls.properties.enableProxyProtocol === true,
      fqdns: strings(pls.properties.fqdns),
      visibilitySubscriptions: subscriptionsOf(pls, 'visibility'),
      autoApprovalSubscriptions: subscriptionsOf(pls, 'autoApproval'),
      connections: connections.filter((c) => c.parentKey === pls.key).map(connectionView),
    })),
    privateEndpoints: endpoints.map((pe) => {
      const connection = (pe.properties.$connection ?? {}) as JsonObject;
      const onService = typeof connection.connectionKey === 'string' ? connectionsByKey.get(connection.connectionKey) : undefined;
      const view = onService ? connectionView(onService) : undefined;
      return {
        ...located(pe, groupNames),
        subnetId: ref(pe.properties.subnet) ?? '',
        networkInterfaceId: String(pe.properties.$nicId ?? ''),
        privateIpAddress: String(pe.properties.$ip ?? ''),
        privateLinkServiceId: String(connection.privateLinkServiceId ?? ''),
        connectionName: String(connection.name ?? ''),
        manual: connection.manual === true,
        status: view?.status ?? 'Disconnected',
        linkIdentifier: view?.linkIdentifier ?? null,
      };
    }),
  };
}
