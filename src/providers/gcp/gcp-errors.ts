import { ProviderError } from '../cloud-provider.js';

const THROTTLING = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RESOURCE_EXHAUSTED']);
const CONFLICT = new Set(['resourceNotReady', 'resourceInUseByAnotherResource', 'conditionNotMet', 'conflict', 'alreadyExists']);

interface GaxiosErrorLike {
  readonly code?: number | string;
  readonly status?: number;
  readonly message?: string;
  readonly errors?: ReadonlyArray<{ readonly reason?: string }>;
  readonly response?: { readonly status?: number; readonly data?: unknown };
}

/** The HTTP status and Compute `reason` of a client error (GaxiosError `code` = HTTP status). */
function statusAndReason(error: unknown): { status: number | undefined; reason: string | undefined; message: string } {
  const e = (error ?? {}) as GaxiosErrorLike;
  const status = typeof e.code === 'number' ? e.code : (e.response?.status ?? e.status);
  let reason = e.errors?.[0]?.reason;
  const message = e.message ?? String(error);
  if (!reason) {
    try {
      const body = JSON.parse(message) as { error?: { errors?: Array<{ reason?: string }>; status?: string } };
      reason = body.error?.errors?.[0]?.reason ?? body.error?.status;
    } catch {
      reason = typeof e.code === 'string' ? e.code : undefined;
    }
  }
  return { status, reason, message };
}

/**
 * Turns a Compute client error into a ProviderError: 429 and rate-limit reasons are `throttled`,
 * 5xx and network trouble `transient`, "not ready / in use / stale fingerprint" `conflict`,
 * 401/403 `forbidden`, everything else the request got wrong `invalid`.
 */
export function classifyGcpError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const { status, reason, message } = statusAndReason(error);
  const code = reason ?? (status !== undefined ? `HTTP${status}` : 'UnknownError');
  if (status === 429 || (reason !== undefined && THROTTLING.has(reason))) return new ProviderError('throttled', code, message);
  if (status === undefined || status >= 500) return new ProviderError('transient', code, message);
  if ((reason !== undefined && CONFLICT.has(reason)) || status === 409 || status === 412) return new ProviderError('conflict', code, message);
  if (status === 401 || status === 403) return new ProviderError('forbidden', code, message);
  return new ProviderError('invalid', code, message);
}

/** Runs a client call, rethrowing its failure classified. */
export async function gcp<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyGcpError(error);
  }
}

/** Runs a client call; undefined when Compute answers 404 (absence is data). */
export async function gcpOrAbsent<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (statusAndReason(error).status === 404) return undefined;
    throw classifyGcpError(error);
  }
}
