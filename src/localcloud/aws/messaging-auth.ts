import type { Store } from '../../store/database.js';
import { findRegion } from './geography.js';
import type { Account } from './model.js';
import { parseAuthorization, verifySignature, type SignedRequest } from './sigv4.js';
import { repositories } from './store/repositories.js';
import { localCloudDb } from './store/schema.js';

/** Why a request to SNS or SQS was not authenticated; each protocol words it in its own codes. */
export type MessagingAuthFailure =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed' | 'scope'; readonly detail: string }
  | { readonly kind: 'unknownKey' }
  | { readonly kind: 'mismatch' };

/** Thrown by authenticateMessaging. */
export class MessagingAuthError extends Error {
  constructor(readonly failure: MessagingAuthFailure) {
    super(failure.kind);
  }
}

/**
 * Authenticates a SigV4 request to SNS or SQS (`service` is the credential scope's service name):
 * the caller's account and the region of its credential scope. Throws MessagingAuthError.
 */
export async function authenticateMessaging(store: Store, request: SignedRequest, service: 'sns' | 'sqs'): Promise<{ account: Account; region: string }> {
  const header = request.headers.authorization;
  const parsed = parseAuthorization(Array.isArray(header) ? header[0] : (header as string | undefined));
  if (parsed === undefined) throw new MessagingAuthError({ kind: 'missing' });
  if ('kind' in parsed) throw new MessagingAuthError(parsed.kind === 'malformed' ? parsed : { kind: 'mismatch' });
  if (!findRegion(parsed.region)) throw new MessagingAuthError({ kind: 'scope', detail: `Credential should be scoped to a valid region, not '${parsed.region}'.` });
  if (parsed.service !== service) throw new MessagingAuthError({ kind: 'scope', detail: `Credential should be scoped to correct service: '${service}'.` });
  const account = await repositories(localCloudDb(store)).control.findAccountByAccessKey(parsed.accessKeyId);
  if (!account) throw new MessagingAuthError({ kind: 'unknownKey' });
  const failure = verifySignature(request, parsed, account.secretAccessKey, new Date());
  if (failure) throw new MessagingAuthError(failure.kind === 'malformed' ? failure : { kind: 'mismatch' });
  return { account, region: parsed.region };
}
