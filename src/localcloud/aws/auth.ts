import { AwsQueryError } from './aws-query-error.js';
import { findRegion, type Region } from './geography.js';
import type { Account } from './model.js';
import { formatAmzDate, MAX_CLOCK_SKEW_MS, parseAuthorization, verifySignature, type SignedRequest, type SigV4Failure } from './sigv4.js';

/** The two Query protocols served on one endpoint. */
export type QueryProtocol = 'ec2' | 'elbv2';

/** The SigV4 service name each protocol's requests must be scoped to. */
export const SIGNING_SERVICE: Readonly<Record<QueryProtocol, string>> = { ec2: 'ec2', elbv2: 'elasticloadbalancing' };

const EC2_AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The error for one authentication failure, in the protocol's codes (EC2 401 AuthFailure; ELBv2 403). */
function authError(protocol: QueryProtocol, failure: SigV4Failure | { kind: 'unknownKey' } | { kind: 'scope'; detail: string }): AwsQueryError {
  const ec2 = protocol === 'ec2';
  switch (failure.kind) {
    case 'missing':
      return ec2 ? new AwsQueryError('AuthFailure', EC2_AUTH_FAILURE, 401) : new AwsQueryError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'malformed':
      return ec2 ? new AwsQueryError('AuthFailure', failure.detail, 401) : new AwsQueryError('IncompleteSignature', failure.detail, 403);
    case 'scope':
      return ec2 ? new AwsQueryError('AuthFailure', failure.detail, 401) : new AwsQueryError('SignatureDoesNotMatch', failure.detail, 403);
    case 'unknownKey':
      return new AwsQueryError('InvalidClientTokenId', 'The security token included in the request is invalid.', ec2 ? 401 : 403);
    case 'expired': {
      if (ec2) return new AwsQueryError('RequestExpired', 'Request has expired.', 400);
      const early = new Date(failure.serverTime.getTime() - MAX_CLOCK_SKEW_MS);
      return new AwsQueryError(
        'SignatureDoesNotMatch',
        `Signature expired: ${failure.requestTime} is now earlier than ${formatAmzDate(early)} (${formatAmzDate(failure.serverTime)} - 15 min.)`,
        403,
      );
    }
    case 'mismatch':
      return ec2 ? new AwsQueryError('AuthFailure', EC2_AUTH_FAILURE, 401) : new AwsQueryError('SignatureDoesNotMatch', SIGNATURE_MISMATCH, 403);
  }
}

/** The signing service named in the Authorization header, if it parses (used to pick a protocol). */
export function scopeService(authorization: string | undefined): string | undefined {
  const parsed = parseAuthorization(authorization);
  return parsed && 'accessKeyId' in parsed ? parsed.service : undefined;
}

/**
 * Authenticates a request: SigV4 over the account's secret, region from the credential scope.
 * Throws AwsQueryError with the protocol's auth codes. `serverTime` is the wall clock.
 */
export async function authenticate(
  request: SignedRequest,
  protocol: QueryProtocol,
  findAccount: (accessKeyId: string) => Promise<Account | undefined>,
  serverTime: Date,
): Promise<{ account: Account; region: Region }> {
  const header = request.headers.authorization;
  const parsed = parseAuthorization(Array.isArray(header) ? header[0] : (header as string | undefined));
  if (parsed === undefined) throw authError(protocol, { kind: 'missing' });
  if ('kind' in parsed) throw authError(protocol, parsed);
  const region = findRegion(parsed.region);
  if (!region) throw authError(protocol, { kind: 'scope', detail: `Credential should be scoped to a valid region, not '${parsed.region}'.` });
  if (parsed.service !== SIGNING_SERVICE[protocol]) {
    throw authError(protocol, { kind: 'scope', detail: `Credential should be scoped to correct service: '${SIGNING_SERVICE[protocol]}'.` });
  }
  const account = await findAccount(parsed.accessKeyId);
  if (!account) throw authError(protocol, { kind: 'unknownKey' });
  const failure = verifySignature(request, parsed, account.secretAccessKey, serverTime);
  if (failure) throw authError(protocol, failure);
  return { account, region };
}
