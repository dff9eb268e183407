import type { ProviderAccountAccess, ProviderAccountDirectory } from '../providers/cloud-provider.js';
import type { Store } from '../store/database.js';
import type { ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import { repositories } from '../store/repositories.js';

/** Makes (or finds, by name) an account in the local cloud and returns its keys. Idempotent. */
export type LocalCloudAccountFactory = (name: string) => Promise<{ readonly accessKeyId: string; readonly secretAccessKey: string }>;

/**
 * Turns pool accounts into what the adapters use: keys of a local-cloud account (made on first use,
 * named `privlink-pool-<name>`), an access key, or a role to assume. Also the adapters' directory
 * of which account each endpoint service is placed in (a placement never moves: cached once seen).
 */
export class ProviderAccountAccessor implements ProviderAccountDirectory {
  private readonly placed = new Map<string, ProviderAccountAccess>();
  private readonly local = new Map<string, Promise<{ readonly accessKeyId: string; readonly secretAccessKey: string }>>();

  constructor(
    private readonly store: Store,
    private readonly localCloud: LocalCloudAccountFactory | undefined,
  ) {}

  /** How the adapter reaches `account`. Throws when a local-cloud account is asked for without a local cloud. */
  async access(account: ProviderAccountWithSecret): Promise<ProviderAccountAccess> {
    if (account.kind === 'LOCAL_CLOUD') {
      if (!this.localCloud) throw new Error(`Provider account ${account.name} is a local-cloud account, but this process runs no local cloud`);
      let keys = this.local.get(account.id);
      if (!keys) {
        keys = this.localCloud(`privlink-pool-${account.name}`);
        this.local.set(account.id, keys);
        keys.catch(() => this.local.delete(account.id));
      }
      const { accessKeyId, secretAccessKey } = await keys;
      return { id: account.id, name: account.name, credentials: { accessKeyId, secretAccessKey } };
    }
    if (account.kind === 'ACCESS_KEY' && account.accessKeyId && account.secretAccessKey) {
      return { id: account.id, name: account.name, credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey } };
    }
    return { id: account.id, name: account.name, ...(account.roleArn ? { roleArn: account.roleArn } : {}) };
  }

  async accountOfService(serviceId: string): Promise<ProviderAccountAccess | undefined> {
    const known = this.placed.get(serviceId);
    if (known) return known;
    const repos = repositories(this.store.db);
    const accountId = await repos.providerAccounts.placementOf(serviceId);
    const account = accountId ? await repos.providerAccounts.findAccount(accountId) : undefined;
    if (!account) return undefined;
    const access = await this.access(account);
    if (this.placed.size > 100_000) this.placed.clear();
    this.placed.set(serviceId, access);
    return access;
  }
}
