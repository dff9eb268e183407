import type { DigestSecrets } from '../domain/digest-secrets.js';
import type { Executor } from './database.js';
import { SettingsRepository } from './settings.repository.js';

/**
 * What the store remembers of the first-start bootstrap: the organization, project and API key
 * it made. `pendingPrivateKey` is set from the moment a bootstrap key is created (or rotated)
 * until it has been handed out (written to `bootstrap.json`), so a start that fails in between
 * leaves a key the next start can still hand out.
 */
export interface BootstrapState {
  readonly orgId: string;
  readonly projectId: string;
  readonly apiKeyId: string;
  readonly pendingPrivateKey?: string;
}

const STATE_KEY = 'bootstrap.state';

/** The bootstrap record (in `settings`) and the few queries bootstrapping needs. */
export class BootstrapRepository {
  private readonly settings: SettingsRepository;

  constructor(private readonly db: Executor) {
    this.settings = new SettingsRepository(db);
  }

  async getState(): Promise<BootstrapState | undefined> {
    const value = await this.settings.get(STATE_KEY);
    return value === undefined ? undefined : (JSON.parse(value) as BootstrapState);
  }

  async saveState(state: BootstrapState): Promise<void> {
    const { orgId, projectId, apiKeyId, pendingPrivateKey } = state;
    await this.settings.set(STATE_KEY, JSON.stringify(pendingPrivateKey ? { orgId, projectId, apiKeyId, pendingPrivateKey } : { orgId, projectId, apiKeyId }));
  }

  /** The organization created first (the bootstrap's, in stores that predate the record). */
  async oldestOrganizationId(): Promise<string | undefined> {
    const row = await this.db.selectFrom('organizations').select('id').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    return row?.id;
  }

  async oldestProjectId(orgId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('projects').select('id').where('org_id', '=', orgId).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    return row?.id;
  }

  /** The oldest key of the organization with this description, if any. */
  async findKeyByDescription(orgId: string, description: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .select('id')
      .where('org_id', '=', orgId)
      .where('description', '=', description)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }

  /** Replaces a key's Digest secrets (a new private key for the same public key). */
  async updateApiKeySecrets(apiKeyId: string, secrets: DigestSecrets): Promise<void> {
    await this.db.updateTable('api_keys').set({ ha1_md5: secrets.ha1Md5, ha1_sha256: secrets.ha1Sha256 }).where('id', '=', apiKeyId).execute();
  }
}
