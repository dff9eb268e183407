import { ArmError, armErrors } from '../arm-error.js';
import { objectList, optBoolean, optNumber, optObject, optRefId, optString, propertiesOf } from '../request-body.js';
import { resourceKey } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { allocateAddress, releaseForRewrite } from './addresses.js';
import { childObject, type ArmContext, type ResourceKind, type WriteTarget } from './kind.js';
import { resolveReference } from './references.js';

export const LOAD_BALANCER_TYPE = 'Microsoft.Network/loadBalancers';
export const PRIVATE_LINK_SERVICE_TYPE = 'Microsoft.Network/privateLinkServices';

function named(list: JsonObject[], path: string, what: string): Array<{ name: string; props: JsonObject; path: string }> {
  const seen = new Set<string>();
  return list.map((item, i) => {
    const name = optString(item.name, `${path}[${i}].name`);
    if (!name) throw armErrors.invalidParameter(`Every ${what} needs a name.`, `${path}[${i}].name`);
    if (seen.has(name.toLowerCase())) throw armErrors.invalidParameter(`The ${what} name ${name} is used twice.`, `${path}[${i}].name`);
    seen.add(name.toLowerCase());
    return { name, props: propertiesOf(item, `${path}[${i}].properties`), path: `${path}[${i}].properties` };
  });
}

function port(value: number | undefined, path: string, min: number, max: number): number {
  if (value === undefined || !Number.isInteger(value) || value < min || value > max)
    throw armErrors.invalidParameter(`Port ${value ?? 'none'} at ${path} must be between ${min} and ${max}.`, path);
  return value;
}

function protocol(value: string | undefined, path: string): string {
  const hit = ['Tcp', 'Udp', 'All'].find((p) => p.toLowerCase() === (value ?? '').toLowerCase());
  if (!hit) throw armErrors.invalidParameter(`Protocol '${value ?? ''}' at ${path} is invalid: use Tcp, Udp or All.`, path);
  return hit;
}

/**
 * Standard load balancers: frontend IP configurations in a subnet (private IP allocated from it
 * when Dynamic), backend pools of IP addresses, health probes, load-balancing rules and inbound
 * NAT rules. Rules must reference this balancer's own frontends, pools and probes.
 */
export const loadBalancersKind: ResourceKind = {
  type: LOAD_BALANCER_TYPE,
  segment: 'loadBalancers',
  operations: { get: 'LoadBalancers_Get', list: 'LoadBalancers_List', put: 'LoadBalancers_CreateOrUpdate', delete: 'LoadBalancers_Delete', updateTags: 'LoadBalancers_UpdateTags' },
  writable: true,
  longRunning: true,
  provisioningDelay: (delays) => delays.loadBalancerProvisioning,
  async write(ctx: ArmContext, target: WriteTarget, body: JsonObject, existing: ResourceRow | undefined) {
    const sku = optObject(body.sku, 'sku');
    const skuName = optString(sku?.name, 'sku.name') ?? 'Standard';
    if (skuName.toLowerCase() !== 'standard') throw armErrors.loadBalancerSku(skuName);
    const props = propertiesOf(body);
    const previous = existing ? await releaseForRewrite(ctx, target.key) : new Map<string, string>();
    const childKey = (collection: string, name: string) => resourceKey(`${target.id}/${collection}/${name}`);

    const frontends: JsonObject[] = [];
    for (const f of named(objectList(props.frontendIPConfigurations, 'properties.frontendIPConfigurations'), 'properties.frontendIPConfigurations', 'frontend IP configuration')) {
      if (f.props.publicIPAddress !== undefined) throw armErrors.invalidParameter('Public frontends are not emulated: give the frontend a subnet.', `${f.path}.publicIPAddress`);
      const subnet = await resolveReference(
        ctx,
        { id: optRefId(f.props.subnet, `${f.path}.subnet`), path: `${f.path}.subnet.id`, by: target.id },
        { typePath: 'virtualnetworks/subnets', label: 'virtualNetworks/subnets', joinAction: 'Microsoft.Network/virtualNetworks/subnets/join/action' },
      );
      const requested = optString(f.props.privateIPAddress, `${f.path}.privateIPAddress`);
      const method = optString(f.props.privateIPAllocationMethod, `${f.path}.privateIPAllocationMethod`) ?? (requested ? 'Static' : 'Dynamic');
      const owner = childKey('frontendIPConfigurations', f.name);
      const ip = await allocateAddress(ctx, subnet, owner, method.toLowerCase() === 'static' ? requested : undefined, previous.get(owner));
      frontends.push({
        name: f.name,
        properties: {
          subnet: { id: subnet.id },
          privateIPAddress: ip,
          privateIPAllocationMethod: method.toLowerCase() === 'static' ? 'Static' : 'Dynamic',
          privateIPAddressVersion: 'IPv4',
        },
      });
    }

    const pools = named(objectList(props.backendAddressPools, 'properties.backendAddressPools'), 'properties.backendAddressPools', 'backend address pool').map((p) => ({
      name: p.name,
      properties: {
        loadBalancerBackendAddresses: named(
          objectList(p.props.loadBalancerBackendAddresses, `${p.path}.loadBalancerBackendAddresses`),
          `${p.path}.loadBalancerBackendAddresses`,
          'backend address',
        ).map((a) => {
          const ip = optString(a.props.ipAddress, `${a.path}.ipAddress`);
          if (!ip) throw armErrors.invalidParameter(`Backend address ${a.name} needs an ipAddress.`, `${a.path}.ipAddress`);
          const vnet = optRefId(a.props.virtualNetwork, `${a.path}.virtualNetwork`);
          return { name: a.name, properties: { ipAddress: ip, ...(vnet ? { virtualNetwork: { id: vnet } } : {}) } };
        }),
      },
    }));

    const probes = named(objectList(props.probes, 'properties.probes'), 'properties.probes', 'probe').map((p) => ({
      name: p.name,
      properties: {
        protocol: optString(p.props.protocol, `${p.path}.protocol`) ?? 'Tcp',
        port: port(optNumber(p.props.port, `${p.path}.port`), `${p.path}.port`, 1, 65535),
        intervalInSeconds: optNumber(p.props.intervalInSeconds, `${p.path}.intervalInSeconds`) ?? 15,
        numberOfProbes: optNumber(p.props.numberOfProbes, `${p.path}.numberOfProbes`) ?? 2,
        probeThreshold: optNumber(p.props.probeThreshold, `${p.path}.probeThreshold`) ?? 1,
        ...(optString(p.props.requestPath, `${p.path}.requestPath`) ? { requestPath: optString(p.props.requestPath, `${p.path}.requestPath`)! } : {}),
      },
    }));

    const own = (collection: string, names: string[], id: string | undefined, path: string, required: boolean): string | undefined => {
      if (id === undefined) {
        if (required) throw armErrors.invalidParameter(`${path} is required.`, path);
        return undefined;
      }
      const hit = names.find((n) => childKey(collection, n) === resourceKey(id));
      if (!hit) throw armErrors.invalidResourceReference(id, target.id);
      return `${target.id}/${collection}/${hit}`;
    };
    const frontendNames = frontends.map((f) => String(f.name));
    const poolNames = pools.map((p) => p.name);
    const probeNames = probes.map((p) => p.name);

    const rules = named(objectList(props.loadBalancingRules, 'properties.loadBalancingRules'), 'properties.loadBalancingRules', 'load balancing rule').map((r) => {
      const frontend = own(
        'frontendIPConfigurations',
        frontendNames,
        optRefId(r.props.frontendIPConfiguration, `${r.path}.frontendIPConfiguration`),
        `${r.path}.frontendIPConfiguration`,
        true,
      )!;
      const pool = own('backendAddressPools', poolNames, optRefId(r.props.backendAddressPool, `${r.path}.backendAddressPool`), `${r.path}.backendAddressPool`, false);
      const probe = own('probes', probeNames, optRefId(r.props.probe, `${r.path}.probe`), `${r.path}.probe`, false);
      return {
        name: r.name,
        properties: {
          frontendIPConfiguration: { id: frontend },
          ...(pool ? { backendAddressPool: { id: pool }, backendAddressPools: [{ id: pool }] } : {}),
          ...(probe ? { probe: { id: probe } } : {}),
          protocol: protocol(optString(r.props.protocol, `${r.path}.protocol`), `${r.path}.protocol`),
          frontendPort: port(optNumber(r.props.frontendPort, `${r.path}.frontendPort`), `${r.path}.frontendPort`, 0, 65534),
          backendPort: port(optNumber(r.props.backendPort, `${r.path}.backendPort`), `${r.path}.backendPort`, 0, 65535),
          enableFloatingIP: optBoolean(r.props.enableFloatingIP, `${r.path}.enableFloatingIP`) ?? false,
          idleTimeoutInMinutes: optNumber(r.props.idleTimeoutInMinutes, `${r.path}.idleTimeoutInMinutes`) ?? 4,
          enableTcpReset: optBoolean(r.props.enableTcpReset, `${r.path}.enableTcpReset`) ?? false,
          disableOutboundSnat: optBoolean(r.props.disableOutboundSnat, `${r.path}.disableOutboundSnat`) ?? false,
          loadDistribution: optString(r.props.loadDistribution, `${r.path}.loadDistribution`) ?? 'Default',
        },
      };
    });
    const ruleKeys = new Set<string>();
    for (const rule of rules) {
      const key = `${rule.properties.frontendIPConfiguration.id.toLowerCase()}|${rule.properties.protocol}|${rule.properties.frontendPort}`;
      if (ruleKeys.has(key))
        throw new ArmError(
          400,
          'LoadBalancingRuleFrontendPortConflict',
          `Load balancing rule ${rule.name} uses the same frontend IP configuration, protocol and frontend port as another rule.`,
        );
      ruleKeys.add(key);
    }

    const natRules = named(objectList(props.inboundNatRules, 'properties.inboundNatRules'), 'properties.inboundNatRules', 'inbound NAT rule').map((r) => {
      const frontend = own(
        'frontendIPConfigurations',
        frontendNames,
        optRefId(r.props.frontendIPConfiguration, `${r.path}.frontendIPConfiguration`),
        `${r.path}.frontendIPConfiguration`,
        true,
      )!;
      const pool = own('backendAddressPools', poolNames, optRefId(r.props.backendAddressPool, `${r.path}.backendAddressPool`), `${r.path}.backendAddressPool`, false);
      const out: JsonObject = {
        frontendIPConfiguration: { id: frontend },
        protocol: protocol(optString(r.props.protocol, `${r.path}.protocol`), `${r.path}.protocol`),
        backendPort: port(optNumber(r.props.backendPort, `${r.path}.backendPort`), `${r.path}.backendPort`, 1, 65535),
        enableFloatingIP: optBoolean(r.props.enableFloatingIP, `${r.path}.enableFloatingIP`) ?? false,
        idleTimeoutInMinutes: optNumber(r.props.idleTimeoutInMinutes, `${r.path}.idleTimeoutInMinutes`) ?? 4,
      };
      const frontendPort = optNumber(r.props.frontendPort, `${r.path}.frontendPort`);
      if (frontendPort !== undefined) out.frontendPort = port(frontendPort, `${r.path}.frontendPort`, 1, 65534);
      const start = optNumber(r.props.frontendPortRangeStart, `${r.path}.frontendPortRangeStart`);
      const end = optNumber(r.props.frontendPortRangeEnd, `${r.path}.frontendPortRangeEnd`);
      if (start !== undefined) out.frontendPortRangeStart = port(start, `${r.path}.frontendPortRangeStart`, 1, 65534);
      if (end !== undefined) out.frontendPortRangeEnd = port(end, `${r.path}.frontendPortRangeEnd`, 1, 65534);
      if (pool) out.backendAddressPool = { id: pool };
      return { name: r.name, properties: out };
    });

    return {
      $sku: { name: 'Standard', tier: optString(sku?.tier, 'sku.tier') ?? 'Regional' },
      frontendIPConfigurations: frontends,
      backendAddressPools: pools,
      probes,
      loadBalancingRules: rules,
      inboundNatRules: natRules,
    };
  },
  topLevel: (row) => ({ sku: (row.properties.$sku as JsonObject | undefined) ?? { name: 'Standard', tier: 'Regional' } }),
  async properties(ctx: ArmContext, row: ResourceRow) {
    const list = (name: string) => (Array.isArray(row.properties[name]) ? (row.properties[name] as JsonObject[]) : []);
    const rules = list('loadBalancingRules');
    const services = (await ctx.repos.resources.allOfType(PRIVATE_LINK_SERVICE_TYPE)).filter((pls) => frontendIdsOf(pls).some((id) => id.startsWith(`${row.key}/`)));
    const child = (collection: string, item: JsonObject, extra: JsonObject = {}) =>
      childObject(row.id, row.type, collection, String(item.name), row.etag, row.provisioningState, { ...(item.properties as JsonObject), ...extra });
    const idOf = (collection: string, name: string) => `${row.id}/${collection}/${name}`;
    const rulesUsing = (field: string, id: string) =>
      rules.filter((r) => resourceKey(String(((r.properties as JsonObject)[field] as JsonObject | undefined)?.id ?? '')) === resourceKey(id));
    return {
      frontendIPConfigurations: list('frontendIPConfigurations').map((f) => {
        const id = idOf('frontendIPConfigurations', String(f.name));
        const pls = services.find((s) => frontendIdsOf(s).includes(resourceKey(id)));
        const using = rulesUsing('frontendIPConfiguration', id);
        return child('frontendIPConfigurations', f, {
          ...(using.length ? { loadBalancingRules: using.map((r) => ({ id: idOf('loadBalancingRules', String(r.name)) })) } : {}),
          ...(pls ? { privateLinkService: { id: pls.id } } : {}),
        });
      }),
      backendAddressPools: list('backendAddressPools').map((p) => {
        const using = rulesUsing('backendAddressPool', idOf('backendAddressPools', String(p.name)));
        return child('backendAddressPools', p, using.length ? { loadBalancingRules: using.map((r) => ({ id: idOf('loadBalancingRules', String(r.name)) })) } : {});
      }),
      probes: list('probes').map((p) => child('probes', p)),
      loadBalancingRules: rules.map((r) => child('loadBalancingRules', r)),
      inboundNatRules: list('inboundNatRules').map((r) => child('inboundNatRules', r)),
      inboundNatPools: [],
    };
  },
  async beforeDelete(ctx: ArmContext, row: ResourceRow) {
    const services = (await ctx.repos.resources.allOfType(PRIVATE_LINK_SERVICE_TYPE)).filter((pls) => frontendIdsOf(pls).some((id) => id.startsWith(`${row.key}/`)));
    if (services.length > 0) throw armErrors.inUse(row.id, services.map((s) => s.id).join(', '));
  },
  async purge(ctx: ArmContext, row: ResourceRow) {
    await ctx.repos.resources.releaseAddresses(row.key);
  },
};

/** The (lower-cased) load balancer frontend ids a private link service uses. */
export function frontendIdsOf(pls: ResourceRow): string[] {
  const list = pls.properties.loadBalancerFrontendIpConfigurations;
  return Array.isArray(list) ? list.flatMap((f) => (f && typeof f === 'object' && !Array.isArray(f) && typeof f.id === 'string' ? [resourceKey(f.id)] : [])) : [];
}

/** Finds a frontend IP configuration of a stored load balancer by its id (undefined when absent). */
export function findFrontend(lb: ResourceRow, frontendId: string): JsonObject | undefined {
  const list = Array.isArray(lb.properties.frontendIPConfigurations) ? (lb.properties.frontendIPConfigurations as JsonObject[]) : [];
  return list.find((f) => resourceKey(`${lb.id}/frontendIPConfigurations/${String(f.name)}`) === resourceKey(frontendId));
}
