import { sql } from 'kysely';
import { newObjectId } from '../domain/object-id.js';
import { inTransaction, type AppContext } from './app-context.js';
import { insertApiKey } from './api-keys.service.js';
import { insertProject } from './projects.service.js';

/** What the first start created: shown once, and written to `<data-dir>/bootstrap.json`. */
export interface BootstrapResult {
  readonly orgId: string;
  readonly projectId: string;
  /** The key's id (Atlas `apiUserId`), e.g. for `POST /groups/{groupId}/apiKeys/{apiUserId}`. */
  readonly apiKeyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

/**
 * First start on an empty store: organization "Default Organization" (payment information on
 * file), project "Project 0", and an API key that is Organization Owner and Project Owner of it.
 * Returns undefined when the store already has an organization (nothing is created twice, also
 * when several replicas start at once: the check and the inserts share one transaction, and the
 * organizations table is locked for it).
 *
 * @param pinnedKey a key to use instead of a random one (PRIVLINK_BOOTSTRAP_PUBLIC_KEY/PRIVATE_KEY)
 */
export async function bootstrapIfEmpty(
  ctx: AppContext,
  pinnedKey: { publicKey: string; privateKey: string } | null,
): Promise<BootstrapResult | undefined> {
  return inTransaction(ctx, async ({ repos, trx }) => {
    await sql`lock table organizations in exclusive mode`.execute(trx);
    if ((await repos.identity.countOrganizations()) > 0) return undefined;
    const now = ctx.now();
    const orgId = newObjectId(now);
    await repos.identity.insertOrganization({ id: orgId, name: 'Default Organization', paymentOnFile: true, createdAt: now });
    const project = await insertProject(repos, orgId, 'Project 0', now);
    const { apiKey, privateKey } = await insertApiKey(repos, {
      orgId,
      description: 'privlink bootstrap key',
      orgRoles: ['ORG_OWNER'],
      now,
      ...(pinnedKey ?? {}),
    });
    await repos.identity.setProjectRoles(apiKey.id, project.id, ['GROUP_OWNER']);
    return { orgId, projectId: project.id, apiKeyId: apiKey.id, publicKey: apiKey.publicKey, privateKey };
  });
}
