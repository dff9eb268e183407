/**
 * The one catalogue of API errors: catalogue name → HTTP status, wire `errorCode` and detail
 * template (`%s` placeholders are filled, in order, from the error's `parameters`).
 *
 * Names are never renamed or reused. Where Atlas's own code is known (its API specification,
 * recorded exchanges) it is used verbatim; codes marked `privlink: true` are ours, chosen where Atlas
 * documents the rule but not its code (docs/decisions.md lists them).
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly detail: string;
  /** The wire `errorCode` when it differs from the catalogue name (Atlas's 401 says UNEXPECTED_ERROR). */
  readonly errorCode?: string;
  /** True for codes privlink introduced (no Atlas source names one). */
  readonly privlink?: boolean;
}

const ERRORS = {
  // --- transport, authentication, authorisation
  NOT_AUTHENTICATED: { status: 401, errorCode: 'UNEXPECTED_ERROR', detail: 'You are not authorized for this resource.' },
  USER_UNAUTHORIZED: { status: 403, detail: 'The currently authenticated API key does not have the role %s required for this action.' },
  NOT_IN_GROUP: {
    status: 403,
    detail:
      'The current API key is an Organization Owner of %s but is not a member of project %s. Add it to the project as Project Owner (POST /api/atlas/v2/groups/%s/apiKeys/%s) to act on the project.',
  },
  NOT_ORG_MEMBER: { status: 403, detail: 'The current API key is not a member of organization %s.' },
  CONSOLE_CSRF_TOKEN_INVALID: { status: 403, detail: 'The request has no valid X-CSRF-Token header for this console session; reload the page and try again.', privlink: true },
  INVALID_VERSION_DATE: { status: 406, detail: 'Invalid accept header or version date.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, detail: 'The request content type %s is not supported; send application/json or application/vnd.atlas.YYYY-MM-DD+json.' },
  RATE_LIMITED: { status: 429, detail: 'Too many requests; retry after %s seconds.' },
  UNEXPECTED_ERROR: { status: 500, detail: 'Unexpected error.' },
  METHOD_NOT_ALLOWED: { status: 405, detail: 'Method %s is not allowed on %s.', privlink: true },
  RESOURCE_NOT_FOUND: { status: 404, detail: 'Cannot find resource %s.' },
  SERVICE_NOT_READY: { status: 503, detail: 'The server is not ready: %s.', privlink: true },

  // --- HTTP transport (answered before a route is found)
  MALFORMED_REQUEST: { status: 400, detail: 'The HTTP request is malformed.', privlink: true },
  REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time.', privlink: true },
  REQUEST_BODY_TOO_LARGE: { status: 413, detail: 'The request body is larger than the limit of %s bytes.', privlink: true },
  REQUEST_URI_TOO_LONG: { status: 414, detail: 'A path parameter of the request URI is longer than %s characters.', privlink: true },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, detail: 'The request line and headers are larger than the limit of %s bytes.', privlink: true },

  // --- request shape
  PATH_PARAM_PARSE_ERROR: { status: 400, detail: 'One or more path parameter in the request URI %s is malformed.' },
  INVALID_JSON: { status: 400, detail: 'Received JSON is malformed.' },
  MISSING_ATTRIBUTE: { status: 400, detail: 'The required attribute %s was not specified.' },
  INVALID_ATTRIBUTE: { status: 400, detail: 'Invalid attribute %s specified.' },
  INVALID_ENUM_VALUE: { status: 400, detail: 'An invalid enumeration value %s was specified for %s.' },
  INVALID_QUERY_PARAMETER: { status: 400, detail: 'Invalid query parameter %s specified.' },
  VALIDATION_ERROR: { status: 400, detail: '%s' },

  // --- organizations, projects, keys
  ORG_NOT_FOUND: { status: 404, detail: 'No organization with ID %s exists.' },
  GROUP_NOT_FOUND: { status: 404, detail: 'No group with ID %s exists.' },
  GROUP_NAME_NOT_FOUND: { status: 404, detail: 'No group with name %s exists.' },
  GROUP_ALREADY_EXISTS: { status: 409, detail: 'A group with name "%s" already exists in organization %s.' },
  CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS: { status: 409, detail: 'Cannot close group %s while it has active clusters. Please terminate all clusters and try again.' },
  CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_PRIVATE_ENDPOINT_SERVICES: {
    status: 409,
    detail: 'Cannot close group %s while it has active private endpoint services. Please delete them and try again.',
  },
  API_KEY_NOT_FOUND: { status: 404, detail: 'No API key with ID %s exists.' },
  INVALID_ROLE: { status: 400, detail: 'The role %s is not valid for %s.', privlink: true },
  CONSOLE_USER_NOT_IN_GROUP: {
    status: 403,
    errorCode: 'NOT_IN_GROUP',
    detail:
      'The current console user is an Organization Owner of %s but is not a member of project %s. Act on the project with an API key that has a role in it, or have an Organization Owner create a console user with a role in the project.',
  },
  CONSOLE_SIGN_IN_FAILED: { status: 401, detail: 'Wrong email or password.', privlink: true },
  CONSOLE_USER_NOT_FOUND: { status: 404, detail: 'No console user with ID %s exists.', privlink: true },
  CONSOLE_USER_ALREADY_EXISTS: { status: 409, detail: 'A console user with email %s already exists.', privlink: true },
  CONSOLE_USER_INVALID_PASSWORD: { status: 400, detail: 'The password is not valid: %s.', privlink: true },
  LAST_ORG_OWNER: { status: 409, detail: 'API key %s is the last Organization Owner of %s and cannot lose that role.', privlink: true },
  NO_PAYMENT_INFORMATION_FOUND: { status: 402, detail: 'No payment information was found for organization %s. Add payment information before creating private endpoints.' },

  // --- project limits
  INVALID_PROJECT_LIMIT_NAME: { status: 400, detail: 'Project limit %s does not exist or cannot be changed.', privlink: true },
  PROJECT_LIMIT_ABOVE_MAXIMUM: { status: 400, detail: 'Project limit %s cannot be set to %s; the maximum is %s.', privlink: true },
  PROJECT_LIMIT_ALREADY_RAISED: { status: 409, detail: 'Project limit %s has already been raised once for project %s; contact support for further increases.', privlink: true },

  // --- clusters
  CLUSTER_NOT_FOUND: { status: 404, detail: 'No cluster named %s exists in group %s.' },
  DUPLICATE_CLUSTER_NAME: { status: 400, detail: 'A cluster named %s is already present in group %s.' },
  CLUSTER_ALREADY_REQUESTED_DELETION: { status: 400, detail: 'Cluster %s has already been requested for deletion.' },
  SIMULATED_NODE_NOT_FOUND: { status: 404, detail: 'No node named %s exists in cluster %s.', privlink: true },
  SIMULATED_NODES_UNAVAILABLE: { status: 409, detail: 'Cluster %s has no simulated nodes running in this deployment: %s', privlink: true },
  CLUSTER_NOT_IDLE: { status: 409, detail: 'Cluster %s cannot be changed while its state is %s.', privlink: true },
  INVALID_CLUSTER_CONFIGURATION: { status: 400, detail: '%s' },
  REPLICA_SETS_NOT_ALLOWED_IN_REGIONALIZED_MODE: {
    status: 400,
    detail: 'Project %s uses regionalized private endpoints, so it cannot contain replica sets; deploy a sharded cluster instead.',
    privlink: true,
  },

  // --- private endpoints
  INVALID_PROVIDER: { status: 400, errorCode: 'INVALID_ENUM_VALUE', detail: 'An invalid enumeration value %s was specified for %s.' },
  PROVIDER_UNSUPPORTED: {
    status: 400,
    detail: 'Private endpoints on %s are not served by this privlink deployment: configure that cloud (see docs/configuration.md).',
    privlink: true,
  },
  INVALID_REGION: { status: 400, detail: 'No region %s exists for provider %s.' },
  PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION: { status: 409, detail: 'A private endpoint service already exists for %s region %s.' },
  PRIVATE_ENDPOINT_SERVICE_DELETING: { status: 409, detail: 'The private endpoint service %s is being deleted.', privlink: true },
  PRIVATE_ENDPOINT_ALREADY_EXISTS: { status: 409, detail: 'Interface endpoint %s is already registered with private endpoint service %s.', privlink: true },
  PRIVATE_ENDPOINT_IN_USE_BY_OTHER_SERVICE: { status: 409, detail: 'Interface endpoint %s is already registered with private endpoint service %s.', privlink: true },
  PRIVATE_ENDPOINT_MULTI_REGION_LIMIT: {
    status: 409,
    detail: 'Cannot create a second private endpoint in %s region %s: when private endpoints exist in more than one region, each region can have only one.',
    privlink: true,
  },
  PRIVATE_ENDPOINT_SINGLE_REGION_LIMIT: {
    status: 409,
    detail:
      'Cannot create a private endpoint in %s region %s: region %s already has more than one private endpoint, so no other region can have one. Enable regionalized private endpoints to combine them.',
    privlink: true,
  },
  MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED: {
    status: 400,
    detail:
      "This would bring %s region %s to %s addressable targets, above this project's limit of %s (atlas.project.deployment.nodesPerPrivateLinkRegion). Use another project or region.",
    privlink: true,
  },
  MAX_PROVIDER_TARGETS_PER_REGION_EXCEEDED: {
    status: 400,
    errorCode: 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED',
    detail: 'This would bring %s region %s to %s addressable targets, above the private link limit of %s per region. Use another project or region.',
    privlink: true,
  },
  PRIVATE_LINK_NOT_ACTIVE_IN_ALL_REGIONS: {
    status: 400,
    detail: '%s must be active in all regions into which you deploy a multi-region cluster: it is active in %s but not in %s.',
    privlink: true,
  },
  REGIONALIZED_MODE_CANNOT_DISABLE: {
    status: 409,
    detail:
      'Regionalized private endpoints cannot be disabled while project %s has more than one private endpoint in more than one region, or several in one region and others elsewhere.',
    privlink: true,
  },
  REGIONALIZED_MODE_REPLICA_SETS_PRESENT: {
    status: 409,
    detail: 'Regionalized private endpoints cannot be enabled while project %s contains replica sets (%s).',
    privlink: true,
  },

  // --- bounds and cluster attributes
  ATTRIBUTE_ABOVE_MAXIMUM: { status: 400, errorCode: 'INVALID_ATTRIBUTE', detail: 'Invalid attribute %s specified: at most %s allowed, got %s.' },
  CANNOT_TERMINATE_CLUSTER_WHEN_TERMINATION_PROTECTION_ENABLED: {
    status: 400,
    detail: 'Cluster %s has termination protection enabled; set terminationProtectionEnabled to false before deleting it.',
    privlink: true,
  },

  // --- serverless instances and their private endpoints
  SERVERLESS_INSTANCE_NOT_FOUND: { status: 404, detail: 'No serverless instance named %s exists in group %s.' },
  SERVERLESS_INSTANCE_ALREADY_EXISTS: { status: 409, detail: 'A cluster or serverless instance named %s is already present in group %s.', privlink: true },
  SERVERLESS_INSTANCE_ALREADY_REQUESTED_DELETION: { status: 400, detail: 'Serverless instance %s has already been requested for deletion.', privlink: true },
  CANNOT_TERMINATE_SERVERLESS_INSTANCE_WHEN_TERMINATION_PROTECTION_ENABLED: {
    status: 400,
    detail: 'Serverless instance %s has termination protection enabled; set terminationProtectionEnabled to false before deleting it.',
    privlink: true,
  },
  TENANT_PRIVATE_ENDPOINT_UNSUPPORTED_PROVIDER: {
    status: 400,
    detail:
      "Serverless instance %s runs on %s: serverless instances don't support Private Service Connect. If you need to set up Private Service Connect, use a dedicated cluster.",
    privlink: true,
  },
  TENANT_PRIVATE_ENDPOINT_NOT_FOUND: { status: 404, detail: 'No private endpoint with ID %s exists for serverless instance %s.', privlink: true },
  TENANT_PRIVATE_ENDPOINT_PROVIDER_MISMATCH: { status: 400, detail: 'The private endpoint is on %s but the serverless instance runs on %s.', privlink: true },
  TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID: {
    status: 400,
    detail: 'The private endpoint can not be updated in its current state %s: set cloudProviderEndpointId once the endpoint is RESERVED.',
    privlink: true,
  },
  TENANT_PRIVATE_ENDPOINT_ALREADY_REGISTERED: {
    status: 400,
    detail: 'Private endpoint %s already has cloudProviderEndpointId %s; delete it and create a new one to use another endpoint.',
    privlink: true,
  },
  TENANT_PRIVATE_ENDPOINT_ID_IN_USE: { status: 409, detail: 'Endpoint %s is already registered with private endpoint %s.', privlink: true },

  // --- events
  EVENT_NOT_FOUND: { status: 404, detail: 'No event with ID %s exists.' },

  // Database users.
  USER_ALREADY_EXISTS: { status: 409, detail: 'The specified database user already exists.' },
  USERNAME_NOT_FOUND: { status: 404, detail: 'No user with username %s exists.' },
  DATABASE_USER_AUTH_TYPE_UNSUPPORTED: {
    status: 400,
    detail: 'Attribute %s cannot be %s: privlink database users authenticate with SCRAM-SHA only (set it to NONE or leave it out).',
    privlink: true,
  },
  DATABASE_USER_INVALID_ROLE: { status: 400, detail: 'The role %s cannot be granted on database %s.', privlink: true },
  DATABASE_USER_PASSWORD_TOO_SHORT: { status: 400, detail: 'The password must be at least %s characters long.', privlink: true },
  DATABASE_USER_INVALID_DELETE_AFTER_DATE: { status: 400, detail: 'The deleteAfterDate %s must be in the future and within one week.', privlink: true },
  DATABASE_USER_SCOPE_NOT_FOUND: { status: 400, detail: 'The scope %s of type %s names no cluster or serverless instance in group %s.', privlink: true },
  DATABASE_USER_LIMIT_EXCEEDED: { status: 409, detail: 'Group %s already has the maximum of %s database users.', privlink: true },
  // --- provider account pool
  PROVIDER_ACCOUNT_NOT_FOUND: { status: 404, detail: 'No provider account named %s exists in the pool.', privlink: true },
  DUPLICATE_PROVIDER_ACCOUNT: { status: 409, detail: 'A provider account named %s is already in the pool.', privlink: true },
  // No longer answered (every pool provider places its services); kept because codes are never reused.
  PROVIDER_POOL_UNSUPPORTED: {
    status: 400,
    detail: 'Endpoint services on %s are not placed in the provider account pool by this privlink version: they live in the configured provider project.',
    privlink: true,
  },
  // --- App Services (v3 Admin API; `errorCode` is App Services' `error_code`)
  APP_INVALID_CREDENTIALS: { status: 401, errorCode: 'InvalidPassword', detail: 'invalid username/password', privlink: true },
  APP_INVALID_SESSION: { status: 401, errorCode: 'InvalidSession', detail: 'invalid session: %s' },
  APP_REFRESH_TOKEN_TYPE: { status: 401, errorCode: 'InvalidSession', detail: 'invalid refresh token: incorrect token type' },
  APP_SESSION_NOT_FOUND: { status: 401, errorCode: 'InvalidSession', detail: 'invalid session: failed to find refresh token' },
  APP_NOT_FOUND: { status: 404, errorCode: 'AppNotFound', detail: 'app not found', privlink: true },
  APP_ALREADY_EXISTS: { status: 409, errorCode: 'AppExists', detail: 'an app named "%s" already exists in group %s', privlink: true },
  APP_INVALID_NAME: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'app name "%s" is invalid: it must begin with a letter and may only contain ASCII letters, numbers, underscores, and hyphens',
    privlink: true,
  },
  APP_INVALID_REGION: { status: 400, errorCode: 'InvalidParameter', detail: 'provider_region "%s" is not a supported App Services region', privlink: true },
  APP_REGION_MODEL_MISMATCH: { status: 400, errorCode: 'InvalidParameter', detail: 'provider_region %s does not support the %s deployment model', privlink: true },
  APP_LOCATION_MISMATCH: { status: 400, errorCode: 'InvalidParameter', detail: 'location %s does not agree with provider_region %s (%s)', privlink: true },
  APP_DEPLOYMENT_MIGRATION_NO_OP: { status: 400, errorCode: 'InvalidParameter', detail: 'the app is already deployed %s in %s', privlink: true },
  APP_SERVICE_NOT_FOUND: { status: 404, errorCode: 'ServiceNotFound', detail: "service not found: '%s'", privlink: true },
  APP_PRIVATE_ENDPOINT_NOT_FOUND: { status: 404, errorCode: 'PrivateEndpointNotFound', detail: 'private endpoint %s not found', privlink: true },
  APP_PRIVATE_ENDPOINT_GLOBAL: {
    status: 400,
    errorCode: 'PrivateEndpointsNotSupported',
    detail: 'private endpoints are not available for globally deployed apps; deploy the app locally to an AWS region',
    privlink: true,
  },
  APP_PRIVATE_ENDPOINT_PROVIDER: {
    status: 400,
    errorCode: 'PrivateEndpointsNotSupported',
    detail: 'private endpoints are only available for apps deployed locally to an AWS region, not %s',
    privlink: true,
  },
  APP_PRIVATE_ENDPOINT_LEGACY: { status: 400, errorCode: 'InvalidParameter', detail: 'endpoint_type "legacy" cannot be created; use "general" or "sync"', privlink: true },
  APP_PRIVATE_ENDPOINT_INVALID_ID: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'VPC endpoint id (cloud_provider_endpoint_id) "%s" is invalid: expected vpce- followed by 8 or 17 hexadecimal digits',
    privlink: true,
  },
  APP_PRIVATE_ENDPOINT_REGION: { status: 400, errorCode: 'InvalidParameter', detail: "cloud_provider_region %s is not the app's region %s", privlink: true },
  APP_PRIVATE_ENDPOINT_TYPE_CHANGE: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'the endpoint_type of private endpoint %s cannot be changed from %s to %s',
    privlink: true,
  },
  APP_PRIVATE_ENDPOINT_SYNC_NEEDS_GENERAL: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'every sync private endpoint must be paired with a general private endpoint: create a general endpoint for %s first',
    privlink: true,
  },
  APP_PRIVATE_ENDPOINT_GENERAL_IN_USE: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'general private endpoint %s is the only general endpoint paired with the sync endpoints of %s; delete the sync endpoints first',
    privlink: true,
  },
  APP_PRIVATE_ENDPOINT_ID_IN_USE: { status: 409, errorCode: 'PrivateEndpointExists', detail: 'VPC endpoint %s is already registered as private endpoint %s', privlink: true },
  APP_PRIVATE_ENDPOINT_WIRE_PROTOCOL: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'private endpoints cannot be enabled while the wire protocol is enabled on data source %s; disable wireProtocolEnabled first',
    privlink: true,
  },
  APP_WIRE_PROTOCOL_PRIVATE_ENDPOINTS: {
    status: 400,
    errorCode: 'InvalidParameter',
    detail: 'the wire protocol cannot be enabled while the app has private endpoints; delete them first',
    privlink: true,
  },
  APP_INVALID_FIELD: { status: 400, errorCode: 'InvalidParameter', detail: 'invalid %s: %s', privlink: true },
  // The message is App Services' own (realm-cli's tests of the access list show it); the code is ours.
  APP_ALLOWED_IP_NOT_FOUND: { status: 404, errorCode: 'AllowedIPNotFound', detail: 'allowed IP not found: \'ObjectID("%s")\'', privlink: true },
  APP_ALLOWED_IP_INVALID: { status: 400, errorCode: 'InvalidParameter', detail: 'invalid address: %s must be an IP address or a CIDR block', privlink: true },
  APP_ALLOWED_IP_EXISTS: { status: 409, errorCode: 'AllowedIPExists', detail: "%s is already in the app's IP access list (entry %s)", privlink: true },
  // --- project IP access list
  ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND: { status: 404, detail: 'IP Address %s not on access list for group %s.', privlink: true },
  INVALID_IP_ADDRESS_OR_CIDR_NOTATION: { status: 400, detail: 'The address %s must be in valid IP address or CIDR notation.', privlink: true },
  ACCESS_LIST_ENTRY_AMBIGUOUS: {
    status: 400,
    errorCode: 'INVALID_ATTRIBUTE',
    detail: 'An access list entry sets exactly one of cidrBlock, ipAddress and awsSecurityGroup; got %s.',
  },
  ACCESS_LIST_DELETE_AFTER_DATE_OUT_OF_RANGE: {
    status: 400,
    errorCode: 'INVALID_ATTRIBUTE',
    detail: 'Invalid attribute deleteAfterDate specified: %s must be later than now and no later than one week from now.',
  },
  // --- project webhooks (privlink extension)
  WEBHOOK_NOT_FOUND: { status: 404, detail: 'No webhook with ID %s exists in group %s.', privlink: true },
  WEBHOOK_URL_NOT_ALLOWED: {
    status: 400,
    detail: 'Webhook URL %s is not allowed: %s. The operator chooses where webhooks may deliver (PRIVLINK_WEBHOOK_ALLOW).',
    privlink: true,
  },
  WEBHOOK_LIMIT_EXCEEDED: { status: 409, detail: 'Group %s already has %s webhooks, the most a project may have.', privlink: true },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorName = keyof typeof ERRORS;

/** One field violation for `badRequestDetail.fields`. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

/**
 * A failure the API reports to its caller. Use cases throw it; the API's one error handler turns it
 * into the Atlas envelope `{detail, error, errorCode, parameters, reason}`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly errorCode: string;
  readonly parameters: readonly unknown[];
  readonly detail: string;
  readonly fields: readonly FieldViolation[] | undefined;
  /** Extra response headers (e.g. `WWW-Authenticate`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string | string[]>>;

  constructor(
    readonly catalogueName: ErrorName,
    parameters: readonly unknown[] = [],
    options: { fields?: FieldViolation[]; headers?: Record<string, string | string[]> } = {},
  ) {
    const definition: ErrorDefinition = ERRORS[catalogueName];
    const safe = parameters.map(boundedParameter);
    const detail = fillTemplate(definition.detail, safe);
    super(detail);
    this.status = definition.status;
    this.errorCode = definition.errorCode ?? catalogueName;
    this.parameters = safe;
    this.detail = detail;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }
}

/** Shorthand for `new ApiError(name, parameters)`. */
export function apiError(name: ErrorName, ...parameters: unknown[]): ApiError {
  return new ApiError(name, parameters);
}

/** Longest text a parameter keeps (longer input is cut and marked with `…`). */
const MAX_PARAMETER_CHARS = 200;

/**
 * A parameter made safe to print and serialise, whatever the caller sent: strings are cut to
 * 200 characters, numbers and booleans kept, anything else rendered as bounded JSON-like text
 * (never deeper than 3 levels, never longer than 200 characters, so no recursion limit is reached).
 */
export function boundedParameter(value: unknown): unknown {
  if (value === undefined || value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return cut(value);
  return cut(render(value, 3));
}

function render(value: unknown, depth: number): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(cut(value));
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    if (depth === 0) return '[…]';
    return `[${value
      .slice(0, 10)
      .map((item) => render(item, depth - 1))
      .join(',')}${value.length > 10 ? ',…' : ''}]`;
  }
  if (typeof value === 'object') {
    if (depth === 0) return '{…}';
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries
      .slice(0, 10)
      .map(([k, v]) => `${JSON.stringify(cut(k))}:${render(v, depth - 1)}`)
      .join(',')}${entries.length > 10 ? ',…' : ''}}`;
  }
  return typeof value;
}

function cut(text: string): string {
  return text.length > MAX_PARAMETER_CHARS ? `${text.slice(0, MAX_PARAMETER_CHARS)}…` : text;
}

function fillTemplate(template: string, parameters: readonly unknown[]): string {
  let index = 0;
  return template.replace(/%s/g, () => {
    const value = parameters[index++];
    return value === undefined ? '' : String(value);
  });
}
