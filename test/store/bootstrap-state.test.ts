import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { appContext, type AppContext } from '../../src/app/app-context.js';
import { insertApiKey } from '../../src/app/api-keys.service.js';
import { claimBootstrapKey, ensureBootstrap, PinnedKeyConflictError, resetBootstrapKey, type BootstrapKey } from '../../src/app/bootstrap.service.js';
import { digestHa1 } from '../../src/domain/digest-secrets.js';
import { newObjectId } from '../../src/domain/object-id.js';
import { BootstrapRepository } from '../../src/store/bootstrap.repository.js';
import { repositories } from '../../src/store/repositories.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

/** The bootstrap across starts, on the real store: created, handed out, recovered, pinned, reset. */
describe('bootstrap state', () => {
  let store: TestStore;
  let ctx: AppContext;
  before(async () => {
    store = await openTestStore();
    ctx = appContext(store.store, { domain: 'privlink.test', providers: ['AWS'] });
  });
  after(async () => store?.cleanup());
  // Every test starts from an empty store (one store per file: opening one costs seconds).
  beforeEach(async () => {
    for (const table of ['api_keys', 'projects', 'organizations'] as const) await store.store.db.deleteFrom(table).execute();
    await store.store.db.deleteFrom('settings').where('key', '=', 'bootstrap.state').execute();
  });

  const repos = () => repositories(store.store.db);
  /** Whether `privateKey` is the key's current secret (what Digest authentication checks). */
  const secretMatches = async (key: { publicKey: string }, privateKey: string) => {
    const stored = await repos().identity.findDigestSecrets(key.publicKey);
    return stored !== undefined && stored.ha1Sha256 === digestHa1(key.publicKey, privateKey).ha1Sha256;
  };
  const assertOwner = async (key: BootstrapKey) => {
    const apiKey = (await repos().identity.findApiKey(key.apiKeyId))!;
    assert.ok(apiKey.orgRoles.includes('ORG_OWNER'), JSON.stringify(apiKey));
    assert.ok(
      apiKey.projectRoles.some((r) => r.projectId === key.projectId && r.role === 'GROUP_OWNER'),
      JSON.stringify(apiKey),
    );
  };

  test('a key not yet handed out is handed out again (same key) until claimed; then nothing', async () => {
    const first = await ensureBootstrap(ctx, null);
    assert.equal(first.announce, true);
    const key = first.key!;
    assert.ok(await secretMatches(key, key.privateKey));
    await assertOwner(key);

    const again = await ensureBootstrap(ctx, null);
    assert.deepEqual(again, { key, announce: true });
    assert.equal(await repos().identity.countOrganizations(), 1);

    await claimBootstrapKey(ctx, key);
    assert.deepEqual(await ensureBootstrap(ctx, null), { key: null, announce: false });
    assert.equal((await new BootstrapRepository(store.store.db).getState())!.pendingPrivateKey, undefined);
    assert.ok(await secretMatches(key, key.privateKey), 'claiming does not change the key');
  });

  test('a pinned key is created, then follows a changed private key and a changed public key', async () => {
    const pinned = { publicKey: 'pinnedaa', privateKey: randomUUID() };
    const created = (await ensureBootstrap(ctx, pinned)).key!;
    assert.equal(created.publicKey, pinned.publicKey);
    assert.ok(await secretMatches(pinned, pinned.privateKey));

    const rotated = { publicKey: 'pinnedaa', privateKey: randomUUID() };
    const outcome = await ensureBootstrap(ctx, rotated);
    assert.deepEqual(outcome, { key: { ...created, privateKey: rotated.privateKey }, announce: false });
    assert.ok(await secretMatches(rotated, rotated.privateKey));
    assert.ok(!(await secretMatches(pinned, pinned.privateKey)), 'the previous private key no longer matches');

    const other = { publicKey: 'pinnedbb', privateKey: randomUUID() };
    const replaced = (await ensureBootstrap(ctx, other)).key!;
    assert.notEqual(replaced.apiKeyId, created.apiKeyId);
    assert.ok(await secretMatches(other, other.privateKey));
    await assertOwner(replaced);
  });

  test('a pinned key replaces a random key that was never handed out, and repairs lost roles', async () => {
    const random = (await ensureBootstrap(ctx, null)).key!;
    const pinned = { publicKey: 'pinnedcc', privateKey: randomUUID() };
    const key = (await ensureBootstrap(ctx, pinned)).key!;
    assert.equal(await repos().identity.findApiKey(random.apiKeyId), undefined, 'the unseen random key is gone');
    await repos().identity.setProjectRoles(key.apiKeyId, key.projectId, []);
    await ensureBootstrap(ctx, pinned);
    await assertOwner(key);
  });

  test('a pinned public key of another organization is refused', async () => {
    const key = (await ensureBootstrap(ctx, null)).key!;
    await claimBootstrapKey(ctx, key);
    const now = new Date();
    const otherOrg = newObjectId(now);
    await repos().identity.insertOrganization({ id: otherOrg, name: 'Other', paymentOnFile: false, createdAt: now });
    await insertApiKey(repos(), { orgId: otherOrg, description: 'theirs', orgRoles: ['ORG_OWNER'], now, publicKey: 'theirsaa' });
    await assert.rejects(ensureBootstrap(ctx, { publicKey: 'theirsaa', privateKey: randomUUID() }), PinnedKeyConflictError);
  });

  test('reset gives the bootstrap key a new private key, or a new owner key when it was deleted', async () => {
    const key = (await ensureBootstrap(ctx, null)).key!;
    await claimBootstrapKey(ctx, key);
    const reset = await resetBootstrapKey(ctx);
    assert.equal(reset.apiKeyId, key.apiKeyId);
    assert.notEqual(reset.privateKey, key.privateKey);
    assert.ok(await secretMatches(key, reset.privateKey));
    assert.ok(!(await secretMatches(key, key.privateKey)));
    // Pending until claimed: a start in between hands out this same key.
    assert.deepEqual(await ensureBootstrap(ctx, null), { key: reset, announce: true });

    await repos().identity.deleteApiKey(key.apiKeyId);
    const fresh = await resetBootstrapKey(ctx);
    assert.notEqual(fresh.apiKeyId, key.apiKeyId);
    assert.ok(await secretMatches(fresh, fresh.privateKey));
    await assertOwner(fresh);
  });

  test('a store bootstrapped before the record existed is adopted: its key is found and can be reset', async () => {
    const key = (await ensureBootstrap(ctx, null)).key!;
    await store.store.db.deleteFrom('settings').where('key', '=', 'bootstrap.state').execute();
    assert.deepEqual(await ensureBootstrap(ctx, null), { key: null, announce: false });
    const state = (await new BootstrapRepository(store.store.db).getState())!;
    assert.deepEqual(state, { orgId: key.orgId, projectId: key.projectId, apiKeyId: key.apiKeyId });
    const reset = await resetBootstrapKey(ctx);
    assert.equal(reset.apiKeyId, key.apiKeyId);
    assert.ok(await secretMatches(key, reset.privateKey));
  });
});
