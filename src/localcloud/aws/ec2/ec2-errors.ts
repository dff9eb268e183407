import { AwsQueryError } from '../aws-query-error.js';
import type { QueryParams } from '../query-params.js';

/** EC2 error constructors with AWS's codes and message texts. */

export function missingParameter(name: string): AwsQueryError {
  return new AwsQueryError('MissingParameter', `The request must contain the parameter ${name}`);
}

export function invalidParameterValue(message: string): AwsQueryError {
  return new AwsQueryError('InvalidParameterValue', message);
}

export function invalidParameter(message: string): AwsQueryError {
  return new AwsQueryError('InvalidParameter', message);
}

export function tagLimitExceeded(): AwsQueryError {
  return new AwsQueryError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
}

export function peeringNotFound(peeringId: string): AwsQueryError {
  return new AwsQueryError('InvalidVpcPeeringConnectionID.NotFound', `The vpcPeeringConnection ID '${peeringId}' does not exist`);
}

export function gatewayNotFound(gatewayId: string): AwsQueryError {
  return new AwsQueryError('InvalidVpnGatewayID.NotFound', `The virtualPrivateGateway ID '${gatewayId}' does not exist`);
}

export function securityGroupRuleNotFound(ruleId: string): AwsQueryError {
  return new AwsQueryError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${ruleId}' does not exist`);
}

export function vpcNotFound(vpcId: string): AwsQueryError {
  return new AwsQueryError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
}

export function subnetNotFound(subnetId: string): AwsQueryError {
  return new AwsQueryError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
}

export function groupNotFound(group: string): AwsQueryError {
  return new AwsQueryError('InvalidGroup.NotFound', `The security group '${group}' does not exist`);
}

export function vpcEndpointNotFound(vpcEndpointId: string): AwsQueryError {
  return new AwsQueryError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${vpcEndpointId}' does not exist`);
}

/**
 * An id that is not `vpce-` followed by lower-case letters and digits, in AWS's words
 * (`InvalidVpcEndpointId.Malformed`, 400).
 */
export function vpcEndpointMalformed(vpcEndpointId: string): AwsQueryError {
  return new AwsQueryError(
    'InvalidVpcEndpointId.Malformed',
    `Invalid Id: '${vpcEndpointId}' (expecting 'vpce-...; the Id may only contain lowercase alphanumeric characters and a single dash')`,
  );
}

/** Throws InvalidVpcEndpointId.Malformed unless `id` has the shape of a VPC endpoint id. */
export function checkVpcEndpointId(id: string): void {
  if (!/^vpce-[a-z0-9]+$/.test(id)) throw vpcEndpointMalformed(id);
}

export function serviceIdNotFound(serviceId: string): AwsQueryError {
  return new AwsQueryError('InvalidVpcEndpointServiceId.NotFound', `The Vpc Endpoint Service Id '${serviceId}' does not exist`);
}

/** What a consumer sees for an unknown service and for one whose principals exclude it. */
export function serviceNameNotFound(serviceName: string): AwsQueryError {
  return new AwsQueryError('InvalidServiceName', `The Vpc Endpoint Service '${serviceName}' does not exist`);
}

/** The required parameter `name`, or MissingParameter. */
export function required(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** An optional boolean parameter (`true`/`false`, any case). */
export function optionalBoolean(params: QueryParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalidParameterValue(`Value (${value}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`);
}
