import type { ProviderRef } from '../providers/cloud-provider.js';

/**
 * What `endpoint_services.provider_ref` holds: the adapter's opaque ref, plus the reconciler's own
 * create-pending mark (as crossplane's `external-create-pending`): the time a create call was about
 * to be made, committed before the call and cleared when the call's result is committed. A service
 * with an empty ref and no mark never had a create call, so nothing in the cloud can be its; one
 * with the mark may have resources whose ids were never committed, so it is observed (by name, tag
 * or client token) before anything else.
 */
export interface StoredRef {
  readonly ref: ProviderRef;
  readonly createPendingSince: string | undefined;
}

/** Splits the stored JSON into the adapter's ref and the reconciler's mark. */
export function readStoredRef(stored: Readonly<Record<string, unknown>>): StoredRef {
  const { createPendingSince, ...ref } = stored;
  return { ref, createPendingSince: typeof createPendingSince === 'string' ? createPendingSince : undefined };
}

/** The JSON to store for `ref`, with the mark when a create may have happened without its result being kept. */
export function storedRef(ref: ProviderRef, createPendingSince?: string): Record<string, unknown> {
  return createPendingSince ? { ...ref, createPendingSince } : { ...ref };
}
