/**
 * The Compute Engine v1 URLs the emulator answers:
 * `/compute/v1/projects/{project}/{global | regions/{r} | zones/{z}}/{collection}[/{name}[/{verb}]]`.
 * Operations are the collection `operations` (verb `wait`); custom methods are verbs
 * (`attachNetworkEndpoints`, `listNetworkEndpoints`).
 */
export type ComputeRoute =
  | {
      readonly kind: 'collection';
      readonly project: string;
      /** `global`, `regions/{r}` or `zones/{z}`. */
      readonly scope: string;
      readonly collection: string;
      readonly name?: string;
      readonly verb?: string;
    }
  | { readonly kind: 'unknown' };

const ROUTE = /^\/compute\/v1\/projects\/([^/]+)\/(global|regions\/[^/]+|zones\/[^/]+)\/([A-Za-z]+)(?:\/([^/]+)(?:\/([A-Za-z]+))?)?\/?$/;

/** Parses a request path (without the query). Names are URL-decoded. */
export function parseComputeRoute(path: string): ComputeRoute {
  const match = ROUTE.exec(path);
  if (!match) return { kind: 'unknown' };
  const [, project, scope, collection, name, verb] = match;
  return {
    kind: 'collection',
    project: decodeURIComponent(project!),
    scope: decodeURIComponent(scope!),
    collection: collection!,
    ...(name !== undefined ? { name: decodeURIComponent(name) } : {}),
    ...(verb !== undefined ? { verb } : {}),
  };
}

/**
 * The API resource name of a collection in a scope, as Compute's method ids and IAM permissions
 * spell it (`regions/…/backendServices` → `regionBackendServices`, `regions/…/networkEndpointGroups` →
 * `regionNetworkEndpointGroups`, `…/operations` →
 * `regionOperations`, `globalOperations`, `zoneOperations`).
 */
export function apiResourceName(scope: string, collection: string): string {
  if (collection === 'operations') return scope === 'global' ? 'globalOperations' : scope.startsWith('zones/') ? 'zoneOperations' : 'regionOperations';
  if (collection === 'backendServices' && scope.startsWith('regions/')) return 'regionBackendServices';
  if (collection === 'networkEndpointGroups' && scope.startsWith('regions/')) return 'regionNetworkEndpointGroups';
  return collection;
}
