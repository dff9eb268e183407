import { ProviderError } from '../cloud-provider.js';

const THROTTLING = new Set(['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'SlowDown']);
const TRANSIENT = new Set(['Unavailable', 'ServiceUnavailable', 'InternalError', 'InternalFailure', 'RequestTimeout', 'RequestTimeoutException']);
const FORBIDDEN = new Set(['AuthFailure', 'UnauthorizedOperation', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'AccessDenied', 'OptInRequired']);
const CONFLICT = new Set(['IncorrectState', 'IncorrectInstanceState', 'ResourceInUse', 'OperationNotPermitted', 'DependencyViolation']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout']);

/**
 * Turns an AWS SDK error into a ProviderError: throttling and 5xx/network trouble are retryable;
 * auth problems are `forbidden`; everything else the caller sent is `invalid`. A failure with no
 * HTTP answer (the request never reached the cloud, or its answer never came back: a refused or
 * reset connection, a DNS failure, this process out of file descriptors or memory) is
 * `transient`: the cloud judged nothing, so nothing about the request is known to be wrong. The
 * SDK gives such errors a `$metadata` too (its retry count), without an HTTP status.
 */
function classifyAwsError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
  const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'UnknownError');
  const message = e.message ?? String(error);
  const status = e.$metadata?.httpStatusCode;
  const retryAfter = Number(e.$response?.headers?.['retry-after']);
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
  if (THROTTLING.has(code)) return new ProviderError('throttled', code, message, retryAfterMs);
  if (TRANSIENT.has(code) || NETWORK.has(code) || (e.code !== undefined && NETWORK.has(e.code)) || (status !== undefined && status >= 500)) {
    return new ProviderError('transient', code, message, retryAfterMs);
  }
  if (status === undefined) return new ProviderError('transient', code, message);
  if (FORBIDDEN.has(code)) return new ProviderError('forbidden', code, message);
  if (CONFLICT.has(code) || /idempotent operation going on/i.test(message)) return new ProviderError('conflict', code, message);
  return new ProviderError('invalid', code, message);
}

/** Runs an SDK call, rethrowing its failure classified. */
export async function aws<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error);
  }
}

/** Runs an SDK call; returns undefined when it fails with one of `absentCodes` (absence is data). */
export async function awsOrAbsent<T>(call: () => Promise<T>, absentCodes: readonly string[]): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (absentCodes.includes(name)) return undefined;
    throw classifyAwsError(error);
  }
}
