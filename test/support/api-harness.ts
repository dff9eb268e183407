import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { appContext, type AppContext } from '../../src/app/app-context.js';
import { insertApiKey } from '../../src/app/api-keys.service.js';
import { ensureBootstrap, type BootstrapKey } from '../../src/app/bootstrap.service.js';
import { insertProject } from '../../src/app/projects.service.js';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { CREDENTIAL_TABLES, credentialsLookup } from '../../src/app/authentication.service.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { newObjectId } from '../../src/domain/object-id.js';
import type { OrgRole, ProjectRole } from '../../src/domain/roles.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Store } from '../../src/store/database.js';
import { repositories } from '../../src/store/repositories.js';
import { openTestStore } from './test-store.js';

/**
 * The Admin API alone (no reconciler, no local cloud) on a fresh store, over real HTTP on a free
 * port. It accepts every cloud's requests (nothing is reconciled here), so each cloud's Atlas shapes
 * and validation can be checked on their own.
 */
export interface ApiHarness {
  readonly url: string;
  readonly store: Store;
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly bootstrap: BootstrapKey;
  /** A Digest client for a key. */
  client(publicKey: string, privateKey: string): AtlasClient;
  /** The bootstrap key's client (Organization Owner + Project Owner of "Project 0"). */
  readonly owner: AtlasClient;
  /** Makes a key in an organization with org roles and project roles (test setup through the real store). */
  makeKey(orgId: string, orgRoles: OrgRole[], projectRoles?: Array<[string, ProjectRole]>): Promise<AtlasClient & { apiKeyId: string; publicKey: string; privateKey: string }>;
  /** Makes another organization with a project and an owner key. */
  makeOrganization(name: string, paymentOnFile: boolean): Promise<{ orgId: string; projectId: string; owner: AtlasClient & { apiKeyId: string } }>;
  close(): Promise<void>;
}

/** `authCacheMs`: how long authenticated keys are cached (default 0: every request reads the store). */
export async function startApi(options: { authCacheMs?: number } = {}): Promise<ApiHarness> {
  const test = await openTestStore();
  const store = test.store;
  const ctx: AppContext = appContext(store, { domain: 'privlink.test', providers: ['AWS', 'AZURE', 'GCP'] });
  const bootstrap = (await ensureBootstrap(ctx, null)).key!;
  const authenticator = new Authenticator(
    credentialsLookup(store),
    new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }),
    options.authCacheMs ?? 0,
    undefined,
    store.writes.scope(CREDENTIAL_TABLES),
  );
  const app = await buildApiServer({ ctx, authenticator, log: createLogger('error'), publicUrl: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const clients: AtlasClient[] = [];
  const client = (publicKey: string, privateKey: string) => {
    const c = new AtlasClient({ baseUrl: url, publicKey, privateKey });
    clients.push(c);
    return c;
  };
  const makeKey = async (orgId: string, orgRoles: OrgRole[], projectRoles: Array<[string, ProjectRole]> = []) => {
    const repos = repositories(store.db);
    const created = await insertApiKey(repos, { orgId, description: 'test key', orgRoles, now: new Date() });
    for (const [projectId, role] of projectRoles) await repos.identity.setProjectRoles(created.apiKey.id, projectId, [role]);
    return Object.assign(client(created.apiKey.publicKey, created.privateKey), {
      apiKeyId: created.apiKey.id,
      publicKey: created.apiKey.publicKey,
      privateKey: created.privateKey,
    });
  };
  return {
    url,
    store,
    ctx,
    app,
    bootstrap,
    client,
    owner: client(bootstrap.publicKey, bootstrap.privateKey),
    makeKey,
    async makeOrganization(name, paymentOnFile) {
      const repos = repositories(store.db);
      const orgId = newObjectId();
      await repos.identity.insertOrganization({ id: orgId, name, paymentOnFile, createdAt: new Date() });
      const project = await insertProject(repos, orgId, `${name} project`, new Date());
      const owner = await makeKey(orgId, ['ORG_OWNER'], [[project.id, 'GROUP_OWNER']]);
      return { orgId, projectId: project.id, owner };
    },
    async close() {
      for (const c of clients) c.close();
      await app.close();
      await test.cleanup();
    },
  };
}
