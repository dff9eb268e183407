import { apiPath } from '../../api/api-session.js';

/** The clusters API in its 2024-08-05 shape (`replicationSpecs[].regionConfigs[]`, `stateName`). */
export const CLUSTER_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json';

export const clustersPath = (projectId: string) => apiPath`/api/atlas/v2/groups/${projectId}/clusters`;
export const clusterPath = (projectId: string, name: string) => apiPath`/api/atlas/v2/groups/${projectId}/clusters/${name}`;

/** `us-east-1` → `US_EAST_1` (Atlas region names); Atlas names pass unchanged. */
export function atlasRegionName(region: string): string {
  return region.trim().replace(/-/g, '_').toUpperCase();
}
