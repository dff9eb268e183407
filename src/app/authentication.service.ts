import type { DigestSecrets } from '../domain/digest-secrets.js';
import type { Principal } from '../domain/identity.js';
import type { Store } from '../store/database.js';
import { IdentityRepository } from '../store/identity.repository.js';

/** What Digest authentication needs of one API key: its stored secrets and who it acts as. */
export interface ApiKeyCredentials {
  readonly secrets: DigestSecrets & { readonly apiKeyId: string };
  readonly principal: Principal;
}

/** Finds an API key by its public key (the Digest `username`); undefined when there is none. */
export type CredentialsLookup = (publicKey: string) => Promise<ApiKeyCredentials | undefined>;

/** A CredentialsLookup over `store`: the key's secrets and roles as they are stored now. */
/**
 * The tables `credentialsLookup` reads, and those whose deletions cascade into them: a cache of
 * its answers stays good while this process writes none of them (WriteGeneration.scope).
 */
export const CREDENTIAL_TABLES = ['api_keys', 'api_key_org_roles', 'api_key_project_roles', 'projects', 'organizations'] as const;

export function credentialsLookup(store: Store): CredentialsLookup {
  return async (publicKey) => {
    const identity = new IdentityRepository(store.db);
    const secrets = await identity.findDigestSecrets(publicKey);
    if (!secrets) return undefined;
    const principal = await identity.loadPrincipal(secrets.apiKeyId);
    return principal && { secrets, principal };
  };
}
