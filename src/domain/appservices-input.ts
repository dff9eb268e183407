import { APP_ENVIRONMENTS, DEPLOYMENT_MODELS, findAppRegion, isAppName, type AppEnvironment, type AppRegion, type DeploymentModel } from './appservices-app.js';
import { APP_ENDPOINT_TYPES, isVpcEndpointId, type AppEndpointType } from './appservices-endpoint.js';
import { apiError } from './errors.js';

/** Parsing of App Services v3 request bodies (snake_case, App Services' names); every failure is an App Services 400. */

function object(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError('APP_INVALID_FIELD', 'request body', 'expected a JSON object');
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw apiError('APP_INVALID_FIELD', field, 'expected a string');
  return value;
}

export interface AppCreateInput {
  readonly name: string;
  readonly deploymentModel: DeploymentModel;
  readonly region: AppRegion;
  readonly environment: AppEnvironment | null;
  readonly dataSource: { readonly name: string; readonly clusterName: string; readonly readPreference: string; readonly wireProtocolEnabled: boolean } | undefined;
}

/** `POST /groups/{groupId}/apps` (AppConstructor). Defaults: LOCAL in `aws-us-east-1`. */
export function parseAppCreate(raw: unknown): AppCreateInput {
  const body = object(raw);
  const name = body.name;
  if (!isAppName(name)) throw apiError('APP_INVALID_NAME', name ?? '');
  const { deploymentModel, region } = parseDeployment(body, { deploymentModel: 'LOCAL', providerRegion: 'aws-us-east-1' });
  const location = optionalString(body, 'location');
  if (location !== undefined && location !== region.location) throw apiError('APP_LOCATION_MISMATCH', location, region.id, region.location);
  const environment = optionalString(body, 'environment');
  if (environment !== undefined && !(APP_ENVIRONMENTS as readonly string[]).includes(environment)) throw apiError('APP_INVALID_FIELD', 'environment', environment);
  return { name, deploymentModel, region, environment: (environment as AppEnvironment | undefined) ?? null, dataSource: parseDataSource(body.data_source) };
}

function parseDataSource(raw: unknown): AppCreateInput['dataSource'] {
  if (raw === undefined || raw === null) return undefined;
  const body = object(raw);
  if (body.type !== undefined && body.type !== 'mongodb-atlas') throw apiError('APP_INVALID_FIELD', 'data_source.type', body.type);
  const config = object(body.config ?? {});
  const clusterName = optionalString(config, 'clusterName') ?? 'Cluster0';
  return {
    name: optionalString(body, 'name') ?? 'mongodb-atlas',
    clusterName,
    readPreference: optionalString(config, 'readPreference') ?? 'primary',
    wireProtocolEnabled: config.wireProtocolEnabled === true,
  };
}

/** `deployment_model` and `provider_region` of a body, with defaults; the region must support the model. */
export function parseDeployment(
  body: Record<string, unknown>,
  defaults: { deploymentModel: DeploymentModel; providerRegion: string },
): { deploymentModel: DeploymentModel; region: AppRegion } {
  const model = optionalString(body, 'deployment_model') ?? defaults.deploymentModel;
  if (!(DEPLOYMENT_MODELS as readonly string[]).includes(model)) throw apiError('APP_INVALID_FIELD', 'deployment_model', model);
  const regionId = optionalString(body, 'provider_region') ?? defaults.providerRegion;
  const region = findAppRegion(regionId);
  if (!region) throw apiError('APP_INVALID_REGION', regionId);
  if (!region.models.includes(model as DeploymentModel)) throw apiError('APP_REGION_MODEL_MISMATCH', region.id, model);
  return { deploymentModel: model as DeploymentModel, region };
}

/** `PUT …/deployment_migration` (AppDeploymentSettings): both fields required. */
export function parseMigration(raw: unknown): { deploymentModel: DeploymentModel; region: AppRegion } {
  const body = object(raw);
  if (body.deployment_model === undefined) throw apiError('APP_INVALID_FIELD', 'deployment_model', 'required');
  if (body.provider_region === undefined) throw apiError('APP_INVALID_FIELD', 'provider_region', 'required');
  return parseDeployment(body, { deploymentModel: 'LOCAL', providerRegion: '' });
}

export interface EndpointInput {
  readonly cloudProviderRegion: string;
  readonly cloudProviderEndpointId: string;
  readonly endpointType: AppEndpointType;
  readonly comment: string | null;
}

/** `POST` / `PUT …/security/private_endpoints` (PrivateEndpointCreate). `legacy` is refused, as the spec says. */
export function parseEndpoint(raw: unknown): EndpointInput {
  const body = object(raw);
  const type = body.endpoint_type;
  if (type === 'legacy') throw apiError('APP_PRIVATE_ENDPOINT_LEGACY');
  if (type === undefined) throw apiError('APP_INVALID_FIELD', 'endpoint_type', 'required');
  if (!(APP_ENDPOINT_TYPES as readonly unknown[]).includes(type)) throw apiError('APP_INVALID_FIELD', 'endpoint_type', type);
  const region = optionalString(body, 'cloud_provider_region');
  if (region === undefined) throw apiError('APP_INVALID_FIELD', 'cloud_provider_region', 'required');
  const vpce = body.cloud_provider_endpoint_id;
  if (!isVpcEndpointId(vpce)) throw apiError('APP_PRIVATE_ENDPOINT_INVALID_ID', vpce ?? '');
  const comment = optionalString(body, 'comment');
  if (comment !== undefined && comment.length > 1000) throw apiError('APP_INVALID_FIELD', 'comment', 'at most 1000 characters');
  return { cloudProviderRegion: region, cloudProviderEndpointId: vpce, endpointType: type as AppEndpointType, comment: comment ?? null };
}

/** `POST …/security/allow_non_vpc_client_requests`. */
export function parseToggle(raw: unknown): boolean {
  const body = object(raw);
  if (typeof body.allow_non_vpc_client_requests !== 'boolean') throw apiError('APP_INVALID_FIELD', 'allow_non_vpc_client_requests', 'expected a boolean');
  return body.allow_non_vpc_client_requests;
}

/** `PATCH …/services/{serviceId}/config` of the app's `mongodb-atlas` data source. */
export function parseServiceConfig(raw: unknown): { clusterName?: string; readPreference?: string; wireProtocolEnabled?: boolean } {
  const body = object(raw);
  const wire = body.wireProtocolEnabled;
  if (wire !== undefined && typeof wire !== 'boolean') throw apiError('APP_INVALID_FIELD', 'wireProtocolEnabled', 'expected a boolean');
  const clusterName = optionalString(body, 'clusterName');
  const readPreference = optionalString(body, 'readPreference');
  if (readPreference !== undefined && !['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'].includes(readPreference)) {
    throw apiError('APP_INVALID_FIELD', 'readPreference', readPreference);
  }
  return {
    ...(clusterName !== undefined ? { clusterName } : {}),
    ...(readPreference !== undefined ? { readPreference } : {}),
    ...(wire !== undefined ? { wireProtocolEnabled: wire } : {}),
  };
}
