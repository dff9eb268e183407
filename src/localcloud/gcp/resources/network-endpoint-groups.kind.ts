import { parseIpv4 } from '../../common/ipv4.js';
import { computeErrors } from '../compute-error.js';
import type { ComputeContext } from '../compute-context.js';
import { linkUrl, regionOfScope, regionPath, type ResourcePath } from '../links.js';
import { startOperation, renderOperation } from '../operations.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { compact, optInt, optObjects, optString } from './fields.js';
import type { ResourceKind } from './kind.js';
import { referenced, rowPath } from './references.js';

/** The endpoint types the emulator keeps. */
export type NetworkEndpointType = 'GCE_VM_IP_PORT' | 'NON_GCP_PRIVATE_IP_PORT' | 'GCE_VM_IP_PORTMAP';

/**
 * A network endpoint as stored: an IP, a port (or null: the group's default port, or the
 * forwarding rule's), and for a port-mapping group the port clients dial (`clientDestinationPort`,
 * unique in its group).
 */
export interface StoredEndpoint {
  readonly ipAddress: string;
  readonly port: number | null;
  readonly clientDestinationPort: number | null;
  readonly instance: string | null;
}

/**
 * Network endpoint groups carrying `ipAddress:port` endpoints, in two scopes sharing one
 * implementation:
 * - zonal `networkEndpointGroups` (`compute.networkEndpointGroups.*`): GCE_VM_IP_PORT (VM
 *   endpoints; `instance` optional here) and NON_GCP_PRIVATE_IP_PORT (hybrid endpoints: any
 *   private IP and port);
 * - regional `networkEndpointGroups` (`compute.regionNetworkEndpointGroups.*`):
 *   GCE_VM_IP_PORTMAP (Private Service Connect port mapping: each endpoint
 *   `{ipAddress, port, clientDestinationPort}` receives what consumers send to
 *   `clientDestinationPort`; `network` and `subnetwork` required; `instance` optional here,
 *   where Compute wants a VM) and NON_GCP_PRIVATE_IP_PORT.
 * `attachNetworkEndpoints` / `detachNetworkEndpoints` change the endpoints (operations),
 * `listNetworkEndpoints` lists them; `size` counts them. A group named in a backend service's
 * `backends` cannot be deleted.
 */
export const networkEndpointGroupsKind: ResourceKind = endpointGroupKind('zonal', ['GCE_VM_IP_PORT', 'NON_GCP_PRIVATE_IP_PORT']);

/** The regional collection (see networkEndpointGroupsKind). */
export const regionNetworkEndpointGroupsKind: ResourceKind = endpointGroupKind('regional', ['GCE_VM_IP_PORTMAP', 'NON_GCP_PRIVATE_IP_PORT']);

function endpointGroupKind(scopeType: 'zonal' | 'regional', types: readonly NetworkEndpointType[]): ResourceKind {
  return {
    collection: 'networkEndpointGroups',
    scopeType,
    kind: 'compute#networkEndpointGroup',
    delay: 'loadBalancerProvisioning',
    async create(ctx, target, input) {
      return { body: await groupBody(ctx, target, input, types) };
    },
    async derive(_ctx, row) {
      return { size: endpointsOf(row.body).length };
    },
    usedBy: async (ctx, row) => {
      const path = rowPath(row);
      for (const bs of await ctx.repos.resources.live({ collection: 'backendServices' }, ctx.now)) {
        const backends = Array.isArray(bs.body.backends) ? bs.body.backends : [];
        if (backends.some((b) => typeof b === 'object' && b !== null && !Array.isArray(b) && b.group === path)) return rowPath(bs);
      }
      return undefined;
    },
    verbs: {
      async attachNetworkEndpoints(ctx, row, input) {
        const current = endpointsOf(row.body);
        for (const [i, e] of parseEndpoints(optObjects(input, 'networkEndpoints'), row.body).entries()) {
          if (current.some((c) => same(c, e))) continue;
          const taken = e.clientDestinationPort !== null && current.find((c) => c.clientDestinationPort === e.clientDestinationPort);
          if (taken)
            throw computeErrors.invalidField(
              `networkEndpoints[${i}].clientDestinationPort`,
              String(e.clientDestinationPort),
              `The client destination port is already mapped to ${taken.ipAddress}:${taken.port} in this network endpoint group.`,
            );
          current.push(e);
        }
        return saveEndpoints(ctx, row, current, 'attachNetworkEndpoints');
      },
      async detachNetworkEndpoints(ctx, row, input) {
        const removed = parseEndpoints(optObjects(input, 'networkEndpoints'), row.body, false);
        const kept = endpointsOf(row.body).filter(
          (c) => !removed.some((e) => same(c, e) || (e.clientDestinationPort === null && c.ipAddress === e.ipAddress && c.port === e.port)),
        );
        return saveEndpoints(ctx, row, kept, 'detachNetworkEndpoints');
      },
      async listNetworkEndpoints(ctx, row) {
        const items = endpointsOf(row.body).map((e) => ({
          networkEndpoint: compact({
            ipAddress: e.ipAddress,
            port: e.port ?? undefined,
            clientDestinationPort: e.clientDestinationPort ?? undefined,
            instance: e.instance ? linkUrl(ctx.baseUrl, e.instance) : undefined,
          }),
        }));
        return { status: 200, body: { kind: 'compute#networkEndpointGroupsListNetworkEndpoints', items } };
      },
    },
  };
}

async function groupBody(ctx: ComputeContext, target: ResourcePath, input: JsonObject, types: readonly NetworkEndpointType[]): Promise<JsonObject> {
  const given = optString(input, 'networkEndpointType') ?? 'GCE_VM_IP_PORT';
  if (!(types as readonly string[]).includes(given))
    throw computeErrors.invalidField(
      'resource.networkEndpointType',
      given,
      `The local cloud emulates ${target.scope.startsWith('zones/') ? 'zonal' : 'regional'} network endpoint groups of type ${types.join(' or ')}.`,
    );
  const type = given as NetworkEndpointType;
  const region = regionOfScope(target.scope)!;
  const network = await referenced(ctx, input, 'network', { collection: 'networks', scope: 'global' });
  if (type === 'GCE_VM_IP_PORTMAP' && !input.subnetwork) throw computeErrors.required('resource.subnetwork');
  const subnet = input.subnetwork ? await referenced(ctx, input, 'subnetwork', { collection: 'subnetworks', scope: `regions/${region}` }) : undefined;
  if (subnet && regionOfScope(subnet.path.scope) !== region)
    throw computeErrors.invalidField('resource.subnetwork', input.subnetwork, 'Subnetwork must be in the region of the network endpoint group.');
  if (subnet && subnet.row.body.network !== rowPath(network.row))
    throw computeErrors.invalidField('resource.subnetwork', input.subnetwork, 'Subnetwork must belong to the network of the network endpoint group.');
  const defaultPort = optInt(input, 'defaultPort');
  if (defaultPort !== undefined && (defaultPort < 1 || defaultPort > 65535)) throw computeErrors.invalidField('resource.defaultPort', defaultPort, 'Expected a port.');
  const zonal = target.scope.startsWith('zones/');
  return compact({
    description: optString(input, 'description'),
    networkEndpointType: type,
    network: rowPath(network.row),
    subnetwork: subnet ? rowPath(subnet.row) : undefined,
    defaultPort,
    zone: zonal ? `projects/${target.project}/${target.scope}` : undefined,
    region: zonal ? undefined : regionPath(target.project, region),
    _endpoints: [],
  });
}

/** The endpoints stored on a group document. */
export function endpointsOf(body: JsonObject): StoredEndpoint[] {
  const list = Array.isArray(body._endpoints) ? body._endpoints : [];
  return list.map((e) => {
    const o = e as JsonObject;
    return {
      ipAddress: String(o.ipAddress),
      port: typeof o.port === 'number' ? o.port : null,
      clientDestinationPort: typeof o.clientDestinationPort === 'number' ? o.clientDestinationPort : null,
      instance: typeof o.instance === 'string' ? o.instance : null,
    };
  });
}

function same(a: StoredEndpoint, b: StoredEndpoint): boolean {
  return a.ipAddress === b.ipAddress && a.port === b.port && a.clientDestinationPort === b.clientDestinationPort;
}

/**
 * Reads `networkEndpoints`: an IPv4 `ipAddress`; `port` (else the group's default port; required
 * for hybrid and port-mapping groups); `clientDestinationPort` required (when `strict`) and unique
 * in a port-mapping group, refused in others.
 */
function parseEndpoints(list: JsonObject[], group: JsonObject, strict = true): StoredEndpoint[] {
  const portMap = group.networkEndpointType === 'GCE_VM_IP_PORTMAP';
  const seen = new Set<number>();
  return list.map((e, i) => {
    const ip = optString(e, 'ipAddress');
    if (!ip || parseIpv4(ip) === undefined) throw computeErrors.invalidField(`networkEndpoints[${i}].ipAddress`, ip ?? '', 'Expected an IPv4 address.');
    const port = optInt(e, 'port') ?? (typeof group.defaultPort === 'number' ? group.defaultPort : undefined);
    if (port === undefined && group.networkEndpointType !== 'GCE_VM_IP_PORT') throw computeErrors.required(`networkEndpoints[${i}].port`);
    if (port !== undefined && (port < 1 || port > 65535)) throw computeErrors.invalidField(`networkEndpoints[${i}].port`, port, 'Expected a port.');
    const clientPort = optInt(e, 'clientDestinationPort');
    if (clientPort !== undefined && !portMap)
      throw computeErrors.invalidField(`networkEndpoints[${i}].clientDestinationPort`, clientPort, 'Only GCE_VM_IP_PORTMAP network endpoint groups map client ports.');
    if (portMap && clientPort === undefined && strict) throw computeErrors.required(`networkEndpoints[${i}].clientDestinationPort`);
    if (clientPort !== undefined) {
      if (clientPort < 1 || clientPort > 65535) throw computeErrors.invalidField(`networkEndpoints[${i}].clientDestinationPort`, clientPort, 'Expected a port.');
      if (seen.has(clientPort))
        throw computeErrors.invalidField(
          `networkEndpoints[${i}].clientDestinationPort`,
          String(clientPort),
          'Each client destination port may be mapped once in a network endpoint group.',
        );
      seen.add(clientPort);
    }
    return { ipAddress: ip, port: port ?? null, clientDestinationPort: clientPort ?? null, instance: optString(e, 'instance') ?? null };
  });
}

async function saveEndpoints(ctx: ComputeContext, row: ResourceRow, endpoints: StoredEndpoint[], verb: string) {
  const body: JsonObject = {
    ...row.body,
    _endpoints: endpoints.map((e) =>
      compact({ ipAddress: e.ipAddress, port: e.port ?? undefined, clientDestinationPort: e.clientDestinationPort ?? undefined, instance: e.instance ?? undefined }),
    ),
  };
  await ctx.repos.resources.save({ ...row, body });
  const target = { project: row.project, scope: row.scope, collection: row.collection, name: row.name };
  const op = await startOperation(ctx, { target, targetId: row.id, operationType: verb, delayMs: ctx.delays.loadBalancerProvisioning, requestId: ctx.query.get('requestId') });
  return { status: 200, body: renderOperation(ctx, op) };
}
