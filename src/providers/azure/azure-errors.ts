import { ProviderError } from '../cloud-provider.js';

const THROTTLING = new Set(['TooManyRequests', 'SubscriptionRequestsThrottled', 'RetryableError']);
const CONFLICT = new Set([
  'AnotherOperationInProgress',
  'Conflict',
  'ReferencedResourceNotProvisioned',
  'OperationNotAllowed',
  'InUseSubnetCannotBeDeleted',
  'ResourceGroupBeingDeleted',
]);
const FORBIDDEN = new Set(['AuthorizationFailed', 'InvalidAuthenticationToken', 'AuthenticationFailed', 'LinkedAuthorizationFailed', 'SubscriptionNotFound']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'REQUEST_SEND_ERROR']);

/** ARM's "not there" codes: absence is data, not an error. */
export const NOT_FOUND = new Set(['ResourceNotFound', 'ResourceGroupNotFound', 'NotFound', 'PrivateEndpointConnectionNotFound', 'ParentResourceNotFound']);

interface RestErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly message?: string;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

/**
 * Turns an Azure SDK error into a ProviderError: 429 and throttling codes are `throttled`
 * (Retry-After honoured), 5xx and network trouble `transient`, ARM's "operation in progress"
 * family `conflict`, 401/403 `forbidden`, everything else the request got wrong `invalid`.
 */
export function classifyAzureError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as RestErrorLike;
  const code = e.code ?? e.name ?? 'UnknownError';
  const message = e.message ?? String(error);
  const status = e.statusCode;
  const retryAfter = Number(e.response?.headers?.get('retry-after'));
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  if (status === 429 || THROTTLING.has(code)) return new ProviderError('throttled', code, message, retryAfterMs);
  if (NETWORK.has(code) || status === undefined || status >= 500) return new ProviderError('transient', code, message, retryAfterMs);
  if (CONFLICT.has(code) || status === 409) return new ProviderError('conflict', code, message, retryAfterMs);
  if (FORBIDDEN.has(code) || status === 401 || status === 403) return new ProviderError('forbidden', code, message);
  return new ProviderError('invalid', code, message);
}

/** Runs an SDK call, rethrowing its failure classified. */
export async function azure<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAzureError(error);
  }
}

/** Runs an SDK call; undefined when ARM answers that the resource (or its parent) does not exist. */
export async function azureOrAbsent<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const e = error as RestErrorLike;
    if (e.statusCode === 404 || (e.code !== undefined && NOT_FOUND.has(e.code))) return undefined;
    throw classifyAzureError(error);
  }
}
