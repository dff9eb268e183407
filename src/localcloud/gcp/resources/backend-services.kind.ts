import { computeErrors } from '../compute-error.js';
import { fingerprint } from '../ids.js';
import { normalizeLink, regionOfScope, regionPath } from '../links.js';
import type { JsonObject } from '../store/schema.js';
import { compact, optEnum, optObjects, optString } from './fields.js';
import type { ResourceKind } from './kind.js';
import { firstUser, requireVisible, rowPath } from './references.js';

/**
 * Regional `backendServices` for internal load balancing: `loadBalancingScheme` INTERNAL
 * (passthrough) or INTERNAL_MANAGED, `protocol` TCP (default), `backends[{group}]` naming zonal
 * or regional network endpoint groups in the service's region (a bare name is a group of zone
 * `<region>-a`), whose `ipAddress:port` endpoints are the targets. Health checks are accepted and stored but not required or run.
 */
export const backendServicesKind: ResourceKind = {
  collection: 'backendServices',
  scopeType: 'regional',
  kind: 'compute#backendService',
  delay: 'loadBalancerProvisioning',
  fingerprinted: true,
  async create(ctx, target, input) {
    return { body: await backendServiceBody(ctx, target.project, target.scope, input) };
  },
  async patch(ctx, row, input) {
    const merged: JsonObject = { ...row.body, ...input };
    return { body: { ...(await backendServiceBody(ctx, row.project, row.scope, merged)), fingerprint: fingerprint() } };
  },
  usedBy: (ctx, row) => firstUser(ctx, rowPath(row), [{ collection: 'forwardingRules', field: 'backendService' }]),
};

async function backendServiceBody(ctx: Parameters<ResourceKind['create']>[0], project: string, scope: string, input: JsonObject): Promise<JsonObject> {
  const scheme = optString(input, 'loadBalancingScheme') ?? 'EXTERNAL';
  if (scheme !== 'INTERNAL' && scheme !== 'INTERNAL_MANAGED')
    throw computeErrors.invalidField('resource.loadBalancingScheme', scheme, 'The local cloud emulates internal backend services only (INTERNAL or INTERNAL_MANAGED).');
  const protocol = optEnum(input, 'protocol', ['TCP', 'UNSPECIFIED'] as const, 'TCP');
  const region = regionOfScope(scope)!;
  const backends: JsonObject[] = [];
  for (const [i, backend] of optObjects(input, 'backends').entries()) {
    const path = normalizeLink(backend.group, `resource.backends[${i}].group`, ctx.principal.projectId, { collection: 'networkEndpointGroups', scope: `zones/${region}-a` });
    if (regionOfScope(path.scope) !== region)
      throw computeErrors.invalidField(`resource.backends[${i}].group`, backend.group, 'Backends must be in the region of the backend service.');
    const group = await requireVisible(ctx, path);
    backends.push(compact({ group: rowPath(group), balancingMode: optString(backend, 'balancingMode') ?? 'CONNECTION' }));
  }
  return compact({
    description: optString(input, 'description'),
    loadBalancingScheme: scheme,
    protocol,
    backends,
    healthChecks: Array.isArray(input.healthChecks) ? input.healthChecks : undefined,
    sessionAffinity: optString(input, 'sessionAffinity') ?? 'NONE',
    timeoutSec: 30,
    connectionDraining: { drainingTimeoutSec: 0 },
    region: regionPath(project, region),
    fingerprint: fingerprint(),
  });
}
