import { AwsQueryError } from '../aws-query-error.js';
import type { QueryParams } from '../query-params.js';
import { parseElbArn, type ElbResourceKind } from './arns.js';

/** ELBv2 error constructors with AWS's codes and message texts. */

export function validationError(message: string): AwsQueryError {
  return new AwsQueryError('ValidationError', message);
}

export function invalidConfiguration(message: string): AwsQueryError {
  return new AwsQueryError('InvalidConfigurationRequest', message);
}

export function loadBalancerNotFound(message = 'One or more load balancers not found'): AwsQueryError {
  return new AwsQueryError('LoadBalancerNotFound', message);
}

export function targetGroupNotFound(message = 'One or more target groups not found'): AwsQueryError {
  return new AwsQueryError('TargetGroupNotFound', message);
}

export function listenerNotFound(): AwsQueryError {
  return new AwsQueryError('ListenerNotFound', 'One or more listeners not found');
}

function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** ValidationError for a missing required member, as the awsQuery services phrase it. */
export function missingMember(name: string): AwsQueryError {
  return validationError(`1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`);
}

/** The required member `name`, or ValidationError as the awsQuery services phrase it. */
export function requiredMember(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') throw missingMember(name);
  return value;
}

/** An optional integer member within [min, max]. */
export function optionalIntegerMember(params: QueryParams, name: string, min: number, max: number): number | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number))
    throw validationError(`1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must be an integer`);
  if (number < min)
    throw validationError(
      `1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  if (number > max)
    throw validationError(
      `1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  return number;
}

/** An optional boolean member (`true`/`false`). */
export function optionalBooleanMember(params: QueryParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw validationError(`1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must be a boolean`);
}

const KIND_TEXT: Readonly<Record<ElbResourceKind, string>> = { loadbalancer: 'load balancer', targetgroup: 'target group', listener: 'listener' };

/** Checks that `arn` is a well-formed ARN of `kind` (ValidationError otherwise). */
export function checkArn(arn: string, kind: ElbResourceKind): string {
  if (parseElbArn(arn)?.kind !== kind) throw validationError(`'${arn}' is not a valid ${KIND_TEXT[kind]} ARN`);
  return arn;
}

/** ELB names: 1–32 alphanumerics or hyphens, not starting or ending with a hyphen. */
export function checkName(name: string, what: 'Load balancer' | 'Target group'): string {
  if (name.length > 32) throw validationError(`${what} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw validationError(`${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw validationError(`${what} name '${name}' cannot begin or end with '-' character`);
  if (what === 'Load balancer' && name.startsWith('internal-')) throw validationError(`Load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}
