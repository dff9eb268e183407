import type { ProviderRef } from '../cloud-provider.js';

/**
 * What the AWS adapter keeps in a service's provider ref: the ids of what it made, and whether
 * the service's principals were opened. Every field is optional (absent = not known to exist).
 */
// A type alias (not an interface) so that it is assignable to the opaque ProviderRef record.
export type AwsRef = {
  readonly loadBalancerArn?: string;
  readonly serviceId?: string;
  /** `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`. */
  readonly serviceName?: string;
  /** `*` was added to the service's allowed principals (so the next create pass skips it). */
  readonly principalsOpen?: true;
};

/** Reads an AWS ref out of the opaque stored one, keeping only well-typed fields. */
export function awsRef(ref: ProviderRef): AwsRef {
  const text = (key: string) => (typeof ref[key] === 'string' ? (ref[key] as string) : undefined);
  const loadBalancerArn = text('loadBalancerArn');
  const serviceId = text('serviceId');
  const serviceName = text('serviceName');
  return {
    ...(loadBalancerArn ? { loadBalancerArn } : {}),
    ...(serviceId ? { serviceId } : {}),
    ...(serviceName ? { serviceName } : {}),
    ...(ref.principalsOpen === true ? { principalsOpen: true as const } : {}),
  };
}
