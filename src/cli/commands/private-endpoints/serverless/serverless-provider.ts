import { apiPath } from '../../../api/api-session.js';
import type { FlagSpec } from '../../../framework/command-spec.js';
import { PROVIDERS, type Provider } from '../provider.js';

/**
 * The clouds of `privlink privateEndpoints serverless {aws|azure} …`: serverless instances take
 * AWS PrivateLink and Azure Private Link endpoints (no GCP Private Service Connect, as in Atlas).
 * The Atlas CLI has no such commands: they are privlink's own, over the Atlas Admin API routes
 * `…/privateEndpoint/serverless/instance/{instanceName}/endpoint[/{endpointId}]`.
 */
export type ServerlessProvider = Provider & { readonly command: 'aws' | 'azure'; readonly api: 'AWS' | 'AZURE' };

export const SERVERLESS_PROVIDERS: readonly ServerlessProvider[] = [PROVIDERS.aws as ServerlessProvider, PROVIDERS.azure as ServerlessProvider];

/** The sentence every `--help` of these commands carries. */
export const EXTENSION_NOTE = "This command is privlink's own extension: the Atlas CLI has no command for serverless private endpoints (it calls the same Atlas Admin API).";

/** `GET`/`POST …/privateEndpoint/serverless/instance/{instanceName}/endpoint`. */
export const tenantEndpointsPath = (projectId: string, instanceName: string) =>
  apiPath`/api/atlas/v2/groups/${projectId}/privateEndpoint/serverless/instance/${instanceName}/endpoint`;

/** `GET`/`PATCH`/`DELETE …/endpoint/{endpointId}`. */
export const tenantEndpointPath = (projectId: string, instanceName: string, endpointId: string) =>
  `${tenantEndpointsPath(projectId, instanceName)}/${encodeURIComponent(endpointId)}`;

/** `--instanceName`, required by every command that names an endpoint by its id. */
export const INSTANCE_NAME_FLAG: FlagSpec = {
  syntax: '--instanceName <instanceName>',
  description: 'Human-readable label that identifies the serverless instance.',
  required: true,
};

export const ENDPOINT_ID_ARG = {
  name: 'endpointId',
  description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.',
} as const;
