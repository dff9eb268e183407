/**
 * The errors the emulated Azure Resource Manager answers, in ARM's wire shape
 * `{"error":{"code","message","details"?}}`. One catalogue: every error the emulator sends is made
 * by a function below, named after its ARM code, with Azure's HTTP status and message wording.
 */
export class ArmError extends Error {
  override readonly name = 'ArmError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ReadonlyArray<{ code: string; message: string; target?: string }> = [],
    /** Extra response headers (Retry-After for throttling). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The ARM error body. */
  body(): { error: { code: string; message: string; details?: Array<{ code: string; message: string; target?: string }> } } {
    return { error: { code: this.code, message: this.message, ...(this.details.length > 0 ? { details: [...this.details] } : {}) } };
  }
}

export function isArmError(error: unknown): error is ArmError {
  return error instanceof ArmError;
}

/**
 * Azure Resource Manager's limits on a resource's tags ("Tag resources, resource groups, and
 * subscriptions for logical organization", Limitations): "Each resource, resource group, and
 * subscription can have a maximum of 50 tag name-value pairs", "The tag name has a limit of 512
 * characters and the tag value has a limit of 256 characters", "Tag names can't contain these
 * characters: <, >, %, &, \\, ?, /".
 */
export const AZURE_TAG_LIMITS = { tags: 50, nameLength: 512, valueLength: 256 } as const;

const NOT_FOUND_HELP = 'For more details please go to https://aka.ms/ARMResourceNotFoundFix';

export const armErrors = {
  authenticationMissing: () => new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."),
  authenticationMalformed: () => new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format."),
  invalidToken: () => new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.'),
  expiredToken: (expiredAt: Date, now: Date) =>
    new ArmError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${expiredAt.toUTCString()}' is earlier than current UTC time '${now.toUTCString()}'.`),
  authorizationFailed: (clientId: string, action: string, scope: string) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${clientId}' with object id '${clientId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    ),
  linkedAuthorizationFailed: (clientId: string, action: string, scope: string) =>
    new ArmError(
      403,
      'LinkedAuthorizationFailed',
      `The client '${clientId}' with object id '${clientId}' does not have permission to perform action '${action}' on the linked scope(s) '${scope}' or the linked scope(s) are invalid.`,
    ),
  missingApiVersion: () => new ArmError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'),
  invalidApiVersion: (version: string, supported: readonly string[]) =>
    new ArmError(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${supported.join(',')}'.`),
  noRegisteredProvider: (location: string, version: string, type: string, supported: readonly string[], locations: readonly string[]) =>
    new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${location}' and API version '${version}' for type '${type}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are '${locations.join(', ')}'.`,
    ),
  invalidResourceType: (type: string, namespace: string, version: string) =>
    new ArmError(404, 'InvalidResourceType', `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${version}'.`),
  noRoute: (method: string, path: string) => new ArmError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${path}' for method '${method}'.`),
  methodNotAllowed: (method: string) => new ArmError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`),
  resourceGroupNotFound: (name: string) => new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`),
  resourceNotFound: (typeAndName: string, group: string) =>
    new ArmError(404, 'ResourceNotFound', `The Resource '${typeAndName}' under resource group '${group}' was not found. ${NOT_FOUND_HELP}`),
  /** A child resource (subnet, frontend, connection) that does not exist: Microsoft.Network's wording. */
  childNotFound: (id: string) => new ArmError(404, 'NotFound', `Resource ${id} not found.`),
  parentNotFound: (parentId: string) =>
    new ArmError(
      404,
      'ParentResourceNotFound',
      `Failed to perform 'write' on resource(s) of type 'Microsoft.Network' because the parent resource '${parentId}' could not be found.`,
    ),
  operationNotFound: (id: string) => new ArmError(404, 'NotFound', `Operation ${id} not found.`),
  invalidRequestFormat: (detail: string, path: string) =>
    new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request.', [{ code: 'InvalidJsonReferenceFormat', message: `${detail} Path ${path}.` }]),
  invalidRequestContent: (message: string) => new ArmError(400, 'InvalidRequestContent', message),
  linkedInvalidPropertyId: (id: string, path: string) =>
    new ArmError(
      400,
      'LinkedInvalidPropertyId',
      `Property id '${id}' at path '${path}' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.`,
    ),
  invalidReferenceType: (id: string, expected: string, path: string) =>
    invalidRequestFormatDetail(`Reference Id ${id} is not formatted correctly. The Id is expected to reference resources of type ${expected}.`, path),
  invalidResourceReference: (referenced: string, by: string) =>
    new ArmError(
      400,
      'InvalidResourceReference',
      `Resource ${referenced} referenced by resource ${by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    ),
  locationRequired: () => new ArmError(400, 'LocationRequired', 'The location property is required for this definition.'),
  locationMismatch: (location: string, existing: string) =>
    new ArmError(
      400,
      'InvalidResourceLocation',
      `The resource already exists in location '${existing}' in resource group. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    ),
  /** A network resource's name outside ARM's rules (resources named in the path, and subnets written inline). */
  invalidResourceName: (name: string) =>
    new ArmError(
      400,
      'InvalidResourceName',
      `Resource name ${name} is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.`,
    ),
  tooManyTags: (count: number) =>
    new ArmError(400, 'InvalidTags', `Too many tags specified. Requested tag count - '${count}'. Maximum number of tags allowed - '${AZURE_TAG_LIMITS.tags}'.`),
  emptyTagName: () => new ArmError(400, 'InvalidTagName', 'The tag name must be non-null, non-empty and non-whitespace only. Please provide an actual value.'),
  tagNameTooLong: (names: readonly string[]) =>
    new ArmError(
      400,
      'InvalidTagName',
      `Tag key too large. Following tag name '${names.join(', ')}' exceeded the maximum length. Maximum allowed length for tag name - '${AZURE_TAG_LIMITS.nameLength}' characters.`,
    ),
  tagNameCharacters: (names: readonly string[]) =>
    new ArmError(400, 'InvalidTagNameCharacters', `The tag names '${names.join(', ')}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`),
  tagValueTooLong: (values: readonly string[]) =>
    new ArmError(
      400,
      'InvalidTagValueLength',
      `Tag value too large. Following tag value '${values.join(', ')}' exceeded the maximum length. Maximum allowed length for tag value - '${AZURE_TAG_LIMITS.valueLength}' characters.`,
    ),
  invalidParameter: (message: string, target?: string) => new ArmError(400, 'InvalidParameter', message, target ? [{ code: 'InvalidParameter', message, target }] : []),
  invalidAddressPrefix: (prefix: string, path: string) =>
    new ArmError(400, 'InvalidAddressPrefixFormat', `Address prefix ${prefix} of resource ${path} is not formatted correctly.`),
  invalidSubnet: (subnet: string, vnet: string) => new ArmError(400, 'NetcfgInvalidSubnet', `Subnet '${subnet}' is not valid in virtual network '${vnet}'.`),
  subnetsOverlap: (a: string, b: string) =>
    new ArmError(400, 'NetcfgSubnetRangesOverlap', `Subnet '${a}' is not valid because its IP address range overlaps with that of an existing subnet '${b}' in virtual network.`),
  subnetInUse: (subnetId: string, holders: string) =>
    new ArmError(
      400,
      'InUseSubnetCannotBeDeleted',
      `Subnet ${subnetId.split('/').pop() ?? subnetId} is in use by ${holders} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet.`,
    ),
  subnetFull: (subnetId: string) => new ArmError(400, 'SubnetIsFull', `Subnet ${subnetId} with address prefix has no available IP addresses.`),
  privateIpNotInSubnet: (ip: string, subnetId: string) => new ArmError(400, 'PrivateIPAddressNotInSubnet', `IP address ${ip} does not belong to subnet ${subnetId}.`),
  privateIpInUse: (ip: string, holder: string) => new ArmError(400, 'PrivateIPAddressInUse', `IP address ${ip} is already in use by ${holder}.`),
  privateIpReserved: (ip: string, subnetId: string) => new ArmError(400, 'PrivateIPAddressInReservedRange', `IP address ${ip} is in reserved range of subnet ${subnetId}.`),
  securityRuleInvalid: (code: string, message: string) => new ArmError(400, code, message),
  anotherOperationInProgress: (statusUrl: string) =>
    new ArmError(409, 'AnotherOperationInProgress', `Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: ${statusUrl}.`),
  inUse: (id: string, by: string) => new ArmError(400, 'InUseResourceCannotBeDeleted', `Resource ${id} is in use by ${by} and cannot be deleted.`),
  loadBalancerSku: (sku: string) =>
    new ArmError(400, 'InvalidLoadBalancerSku', `Load balancer SKU '${sku}' is not supported here: create Standard load balancers (Basic load balancers were retired).`),
  privateLinkServiceNotFound: (reference: string) =>
    new ArmError(
      400,
      'PrivateLinkServiceNotFound',
      `Private link service ${reference} referenced by the private endpoint was not found, or it is not visible to the subscription of the private endpoint.`,
    ),
  connectionCannotBeCreatedByProvider: (id: string) =>
    new ArmError(
      400,
      'PrivateEndpointConnectionCannotBeCreatedByServiceProvider',
      `Private endpoint connection ${id} cannot be created by the service provider: the consumer creates a private endpoint.`,
    ),
  invalidConnectionStatus: (status: string) =>
    new ArmError(400, 'InvalidPrivateEndpointConnectionStatus', `Private endpoint connection status '${status}' is invalid: a service provider sets Approved or Rejected.`),
  throttled: (retryAfterSeconds: number) =>
    new ArmError(
      429,
      'TooManyRequests',
      'The request is being throttled as the limit has been reached for operation type. Please retry after the time specified in Retry-After.',
      [],
      {
        'Retry-After': String(retryAfterSeconds),
      },
    ),
  internal: () => new ArmError(500, 'InternalServerError', 'Encountered internal server error. Please try again.'),
} as const;

function invalidRequestFormatDetail(message: string, path: string): ArmError {
  return new ArmError(400, 'InvalidRequestFormat', 'Cannot parse the request.', [{ code: 'InvalidJsonReferenceFormat', message: `${message} Path ${path}.` }]);
}
