import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { digestHa1 } from '../domain/digest-secrets.js';
import { newObjectId } from '../domain/object-id.js';
import { BootstrapRepository, type BootstrapState } from '../store/bootstrap.repository.js';
import type { Repositories } from '../store/repositories.js';
import { inTransaction, type AppContext } from './app-context.js';
import { insertApiKey } from './api-keys.service.js';
import { insertProject } from './projects.service.js';

/** Description of the key the bootstrap creates. */
const BOOTSTRAP_KEY_DESCRIPTION = 'privlink bootstrap key';

/** The bootstrap organization, project and a working key of it (Organization Owner, Project Owner). */
export interface BootstrapKey {
  readonly orgId: string;
  readonly projectId: string;
  /** The key's id (Atlas `apiUserId`), e.g. for `POST /groups/{groupId}/apiKeys/{apiUserId}`. */
  readonly apiKeyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/** What a start has to hand out: a key to write to `bootstrap.json`, and whether to show it. */
export interface BootstrapOutcome {
  /** null when the key was handed out by an earlier start (and no key is pinned). */
  readonly key: BootstrapKey | null;
  /** The user has not seen this key yet: print it once. */
  readonly announce: boolean;
}

/** A pinned key (PRIVLINK_BOOTSTRAP_PUBLIC_KEY / PRIVLINK_BOOTSTRAP_PRIVATE_KEY). */
export type PinnedKey = { readonly publicKey: string; readonly privateKey: string };

/** Raised when a pinned public key belongs to a key of another organization. */
export class PinnedKeyConflictError extends Error {
  override readonly name = 'PinnedKeyConflictError';
}

type Work = { repos: Repositories; boot: BootstrapRepository; now: Date };

/**
 * Runs at every start. On an empty store: organization "Default Organization" (payment
 * information on file), project "Project 0" and an API key that is Organization Owner and Project
 * Owner of it (announced). Later starts:
 * - with a pinned key: that key exists, is Organization Owner and Project Owner of the bootstrap
 *   organization and project, and has exactly the pinned private key (created or updated);
 * - else, when the key created earlier was never handed out (a start failed before writing
 *   `bootstrap.json`): that same key, announced again;
 * - else nothing (key null).
 * Several processes starting at once do all this once: the organizations table is locked.
 *
 * @throws PinnedKeyConflictError when the pinned public key is a key of another organization
 */
export async function ensureBootstrap(ctx: AppContext, pinned: PinnedKey | null): Promise<BootstrapOutcome> {
  return bootstrapTransaction(ctx, async (work) => {
    let state = await work.boot.getState();
    if (!state) {
      if ((await work.repos.identity.countOrganizations()) === 0) return { key: await createBootstrap(work, pinned), announce: true };
      state = await adoptEarlierBootstrap(work);
    }
    if (pinned) return { key: await ensurePinnedKey(work, state, pinned), announce: false };
    if (state.pendingPrivateKey) return { key: await ensureKey(work, state, state.pendingPrivateKey), announce: true };
    return { key: null, announce: false };
  });
}

/**
 * Marks `key` as handed out (its `bootstrap.json` is written): the store forgets its private key.
 * Does nothing when the bootstrap key changed in between.
 */
export async function claimBootstrapKey(ctx: AppContext, key: BootstrapKey): Promise<void> {
  await inTransaction(ctx, async ({ trx }) => {
    const boot = new BootstrapRepository(trx);
    const state = await boot.getState();
    if (state?.pendingPrivateKey && state.apiKeyId === key.apiKeyId && state.pendingPrivateKey === key.privateKey) {
      await boot.saveState({ orgId: state.orgId, projectId: state.projectId, apiKeyId: state.apiKeyId });
    }
  });
}

/**
 * A new private key for the bootstrap key (`privlink admin reset-bootstrap-key`), or a new
 * Organization Owner + Project Owner key of the bootstrap organization when that key was
 * deleted; on an empty store, the whole bootstrap. The result is pending until claimed.
 */
export async function resetBootstrapKey(ctx: AppContext): Promise<BootstrapKey> {
  return bootstrapTransaction(ctx, async (work) => {
    let state = await work.boot.getState();
    if (!state) {
      if ((await work.repos.identity.countOrganizations()) === 0) return createBootstrap(work, null);
      state = await adoptEarlierBootstrap(work);
    }
    return ensureKey(work, state, randomUUID());
  });
}

async function bootstrapTransaction<T>(ctx: AppContext, body: (work: Work) => Promise<T>): Promise<T> {
  return inTransaction(ctx, async ({ repos, trx }) => {
    await sql`lock table organizations in exclusive mode`.execute(trx);
    return body({ repos, boot: new BootstrapRepository(trx), now: ctx.now() });
  });
}

async function createBootstrap({ repos, boot, now }: Work, pinned: PinnedKey | null): Promise<BootstrapKey> {
  const orgId = newObjectId(now);
  await repos.identity.insertOrganization({ id: orgId, name: 'Default Organization', paymentOnFile: true, createdAt: now });
  const project = await insertProject(repos, orgId, 'Project 0', now);
  const { apiKey, privateKey } = await insertApiKey(repos, { orgId, description: BOOTSTRAP_KEY_DESCRIPTION, orgRoles: ['ORG_OWNER'], now, ...(pinned ?? {}) });
  await repos.identity.setProjectRoles(apiKey.id, project.id, ['GROUP_OWNER']);
  // A pinned key is known to its user already; a random one is pending until handed out.
  await boot.saveState({ orgId, projectId: project.id, apiKeyId: apiKey.id, ...(pinned ? {} : { pendingPrivateKey: privateKey }) });
  return { orgId, projectId: project.id, apiKeyId: apiKey.id, publicKey: apiKey.publicKey, privateKey };
}

/** A store bootstrapped before the record existed: its oldest organization, project and bootstrap key. */
async function adoptEarlierBootstrap({ boot }: Work): Promise<BootstrapState> {
  const orgId = (await boot.oldestOrganizationId())!;
  const state = {
    orgId,
    projectId: (await boot.oldestProjectId(orgId)) ?? '',
    apiKeyId: (await boot.findKeyByDescription(orgId, BOOTSTRAP_KEY_DESCRIPTION)) ?? '',
  };
  await boot.saveState(state);
  return state;
}

/** The bootstrap key with `privateKey` (rotated, or created when it was deleted), pending until claimed. */
async function ensureKey(work: Work, state: BootstrapState, privateKey: string): Promise<BootstrapKey> {
  const { repos, boot, now } = work;
  const projectId = await bootstrapProject(work, state);
  const existing = state.apiKeyId ? await repos.identity.findApiKey(state.apiKeyId) : undefined;
  let apiKeyId: string;
  let publicKey: string;
  if (existing) {
    await boot.updateApiKeySecrets(existing.id, digestHa1(existing.publicKey, privateKey));
    ({ id: apiKeyId, publicKey } = existing);
  } else {
    const created = await insertApiKey(repos, { orgId: state.orgId, description: BOOTSTRAP_KEY_DESCRIPTION, orgRoles: ['ORG_OWNER'], now, privateKey });
    ({ id: apiKeyId, publicKey } = created.apiKey);
  }
  await ensureOwner(repos, apiKeyId, projectId);
  await boot.saveState({ orgId: state.orgId, projectId, apiKeyId, pendingPrivateKey: privateKey });
  return { orgId: state.orgId, projectId, apiKeyId, publicKey, privateKey };
}

async function ensurePinnedKey(work: Work, state: BootstrapState, pinned: PinnedKey): Promise<BootstrapKey> {
  const { repos, boot, now } = work;
  const projectId = await bootstrapProject(work, state);
  const found = await repos.identity.findDigestSecrets(pinned.publicKey);
  let apiKeyId: string;
  if (found) {
    const key = (await repos.identity.findApiKey(found.apiKeyId))!;
    if (key.orgId !== state.orgId) {
      throw new PinnedKeyConflictError(
        `PRIVLINK_BOOTSTRAP_PUBLIC_KEY ${pinned.publicKey} is a key of another organization (${key.orgId}), not of the bootstrap organization ${state.orgId}; pin another public key.`,
      );
    }
    const secrets = digestHa1(pinned.publicKey, pinned.privateKey);
    if (secrets.ha1Md5 !== found.ha1Md5 || secrets.ha1Sha256 !== found.ha1Sha256) await boot.updateApiKeySecrets(key.id, secrets);
    apiKeyId = key.id;
  } else {
    const created = await insertApiKey(repos, { orgId: state.orgId, description: BOOTSTRAP_KEY_DESCRIPTION, orgRoles: ['ORG_OWNER'], now, ...pinned });
    apiKeyId = created.apiKey.id;
  }
  await ensureOwner(repos, apiKeyId, projectId);
  // A random key that was never handed out is known to nobody: the pinned key replaces it.
  if (state.pendingPrivateKey && state.apiKeyId && state.apiKeyId !== apiKeyId) await repos.identity.deleteApiKey(state.apiKeyId);
  await boot.saveState({ orgId: state.orgId, projectId, apiKeyId });
  return { orgId: state.orgId, projectId, apiKeyId, publicKey: pinned.publicKey, privateKey: pinned.privateKey };
}

/** The bootstrap project; when it was deleted, the organization's oldest project, or a new "Project 0". */
async function bootstrapProject({ repos, boot, now }: Work, state: BootstrapState): Promise<string> {
  if (state.projectId && (await repos.identity.findProject(state.projectId))) return state.projectId;
  const oldest = await boot.oldestProjectId(state.orgId);
  if (oldest) return oldest;
  return (await insertProject(repos, state.orgId, 'Project 0', now)).id;
}

/** Adds Organization Owner and Project Owner of `projectId` to the key's roles (keeps the others). */
async function ensureOwner(repos: Repositories, apiKeyId: string, projectId: string): Promise<void> {
  const key = (await repos.identity.findApiKey(apiKeyId))!;
  if (!key.orgRoles.includes('ORG_OWNER')) await repos.identity.setOrgRoles(apiKeyId, [...key.orgRoles, 'ORG_OWNER']);
  const projectRoles = key.projectRoles.filter((r) => r.projectId === projectId).map((r) => r.role);
  if (!projectRoles.includes('GROUP_OWNER')) await repos.identity.setProjectRoles(apiKeyId, projectId, [...projectRoles, 'GROUP_OWNER']);
}
