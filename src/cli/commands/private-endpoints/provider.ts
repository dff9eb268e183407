import { apiPath } from '../../api/api-session.js';

/**
 * The three cloud providers of `privlink privateEndpoints {aws|azure|gcp} …`: the command
 * name, the API's `cloudProvider` value, and the words the Atlas CLI uses in help texts.
 */
export type ProviderCommand = 'aws' | 'azure' | 'gcp';

export interface Provider {
  readonly command: ProviderCommand;
  /** `AWS` | `AZURE` | `GCP` (path segment and `providerName`). */
  readonly api: 'AWS' | 'AZURE' | 'GCP';
  /** `AWS` | `Azure` | `GCP` (help texts). */
  readonly label: string;
}

export const PROVIDERS: Record<ProviderCommand, Provider> = {
  aws: { command: 'aws', api: 'AWS', label: 'AWS' },
  azure: { command: 'azure', api: 'AZURE', label: 'Azure' },
  gcp: { command: 'gcp', api: 'GCP', label: 'GCP' },
};

/** The Atlas CLI's role sentence of every command's long description. */
export function requiredRole(role: 'Project Owner' | 'Project Read Only' | 'Organization Owner' | 'Organization Member'): string {
  return `To use this command, you must authenticate with a user account, a service account, or an API key with the ${role} role.`;
}

/** Op 1: `POST /groups/{groupId}/privateEndpoint/endpointService`. */
export const endpointServicesPath = (projectId: string) => apiPath`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`;

/** Ops 2: `GET /groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService`. */
export const providerServicesPath = (projectId: string, provider: Provider) => apiPath`/api/atlas/v2/groups/${projectId}/privateEndpoint/${provider.api}/endpointService`;

/** Ops 3, 4: `…/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}`. */
export const endpointServicePath = (projectId: string, provider: Provider, serviceId: string) =>
  apiPath`/api/atlas/v2/groups/${projectId}/privateEndpoint/${provider.api}/endpointService/${serviceId}`;

/** Op 6: `…/endpointService/{endpointServiceId}/endpoint`. */
export const interfaceEndpointsPath = (projectId: string, provider: Provider, serviceId: string) => `${endpointServicePath(projectId, provider, serviceId)}/endpoint`;

/** Get and delete an interface endpoint: `…/endpointService/{endpointServiceId}/endpoint/{endpointId}` (the id is path-escaped). */
export const interfaceEndpointPath = (projectId: string, provider: Provider, serviceId: string, endpointId: string) =>
  `${interfaceEndpointsPath(projectId, provider, serviceId)}/${encodeURIComponent(endpointId)}`;

/** Ops 9, 10: `…/privateEndpoint/regionalMode`. */
export const regionalModePath = (projectId: string) => apiPath`/api/atlas/v2/groups/${projectId}/privateEndpoint/regionalMode`;
