import { parseIpv4 } from '../../common/ipv4.js';
import { computeErrors } from '../compute-error.js';
import { linkUrl } from '../links.js';
import { startOperation, renderOperation } from '../operations.js';
import type { JsonObject } from '../store/schema.js';
import { compact, optEnum, optInt, optObjects, optString } from './fields.js';
import type { ResourceKind } from './kind.js';
import { referenced, rowPath } from './references.js';

/** A network endpoint as stored: an IP, and a port (or null: the group's default port, or the forwarding rule's). */
export interface StoredEndpoint {
  readonly ipAddress: string;
  readonly port: number | null;
  readonly instance: string | null;
}

/**
 * Zonal `networkEndpointGroups` carrying `ipAddress:port` endpoints: GCE_VM_IP_PORT (VM
 * endpoints; `instance` optional here) and NON_GCP_PRIVATE_IP_PORT (hybrid endpoints: any
 * private IP and port). `attachNetworkEndpoints` / `detachNetworkEndpoints` change the
 * endpoints (operations), `listNetworkEndpoints` lists them; `size` counts them.
 */
export const networkEndpointGroupsKind: ResourceKind = {
  collection: 'networkEndpointGroups',
  scopeType: 'zonal',
  kind: 'compute#networkEndpointGroup',
  delay: 'loadBalancerProvisioning',
  async create(ctx, target, input) {
    const type = optEnum(input, 'networkEndpointType', ['GCE_VM_IP_PORT', 'NON_GCP_PRIVATE_IP_PORT'] as const, 'GCE_VM_IP_PORT');
    const network = await referenced(ctx, input, 'network', { collection: 'networks', scope: 'global' });
    const region = target.scope.slice('zones/'.length).replace(/-[a-z]$/, '');
    const subnet = input.subnetwork ? await referenced(ctx, input, 'subnetwork', { collection: 'subnetworks', scope: `regions/${region}` }) : undefined;
    const defaultPort = optInt(input, 'defaultPort');
    if (defaultPort !== undefined && (defaultPort < 1 || defaultPort > 65535)) throw computeErrors.invalidField('resource.defaultPort', String(defaultPort), 'Expected a port.');
    return {
      body: compact({
        description: optString(input, 'description'),
        networkEndpointType: type,
        network: rowPath(network.row),
        subnetwork: subnet ? rowPath(subnet.row) : undefined,
        defaultPort,
        zone: `projects/${target.project}/${target.scope}`,
        _endpoints: [],
      }),
    };
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
      const added = parseEndpoints(optObjects(input, 'networkEndpoints'), row.body);
      const current = endpointsOf(row.body);
      for (const e of added) if (!current.some((c) => same(c, e))) current.push(e);
      return saveEndpoints(ctx, row, current, 'attachNetworkEndpoints');
    },
    async detachNetworkEndpoints(ctx, row, input) {
      const removed = parseEndpoints(optObjects(input, 'networkEndpoints'), row.body);
      return saveEndpoints(
        ctx,
        row,
        endpointsOf(row.body).filter((c) => !removed.some((e) => same(c, e))),
        'detachNetworkEndpoints',
      );
    },
    async listNetworkEndpoints(ctx, row) {
      const items = endpointsOf(row.body).map((e) => ({
        networkEndpoint: compact({ ipAddress: e.ipAddress, port: e.port ?? undefined, instance: e.instance ? linkUrl(ctx.baseUrl, e.instance) : undefined }),
      }));
      return { status: 200, body: { kind: 'compute#networkEndpointGroupsListNetworkEndpoints', items } };
    },
  },
};

/** The endpoints stored on a group document. */
export function endpointsOf(body: JsonObject): StoredEndpoint[] {
  const list = Array.isArray(body._endpoints) ? body._endpoints : [];
  return list.map((e) => {
    const o = e as JsonObject;
    return { ipAddress: String(o.ipAddress), port: typeof o.port === 'number' ? o.port : null, instance: typeof o.instance === 'string' ? o.instance : null };
  });
}

function same(a: StoredEndpoint, b: StoredEndpoint): boolean {
  return a.ipAddress === b.ipAddress && a.port === b.port;
}

function parseEndpoints(list: JsonObject[], group: JsonObject): StoredEndpoint[] {
  return list.map((e, i) => {
    const ip = optString(e, 'ipAddress');
    if (!ip || parseIpv4(ip) === undefined) throw computeErrors.invalidField(`networkEndpoints[${i}].ipAddress`, String(ip ?? ''), 'Expected an IPv4 address.');
    const port = optInt(e, 'port') ?? (typeof group.defaultPort === 'number' ? group.defaultPort : undefined);
    if (port === undefined && group.networkEndpointType === 'NON_GCP_PRIVATE_IP_PORT') throw computeErrors.required(`networkEndpoints[${i}].port`);
    if (port !== undefined && (port < 1 || port > 65535)) throw computeErrors.invalidField(`networkEndpoints[${i}].port`, String(port), 'Expected a port.');
    return { ipAddress: ip, port: port ?? null, instance: optString(e, 'instance') ?? null };
  });
}

async function saveEndpoints(
  ctx: Parameters<NonNullable<ResourceKind['derive']>>[0],
  row: Parameters<NonNullable<ResourceKind['derive']>>[1],
  endpoints: StoredEndpoint[],
  verb: string,
) {
  const body: JsonObject = { ...row.body, _endpoints: endpoints.map((e) => compact({ ipAddress: e.ipAddress, port: e.port ?? undefined, instance: e.instance ?? undefined })) };
  await ctx.repos.resources.save({ ...row, body });
  const target = { project: row.project, scope: row.scope, collection: row.collection, name: row.name };
  const op = await startOperation(ctx, { target, targetId: row.id, operationType: verb, delayMs: ctx.delays.loadBalancerProvisioning, requestId: ctx.query.get('requestId') });
  return { status: 200, body: renderOperation(ctx, op) };
}
