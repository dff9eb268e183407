import type { ProviderAccountAccess, ProviderAccountDirectory } from '../providers/cloud-provider.js';
import type { Store } from '../store/database.js';
import type { ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import { repositories } from '../store/repositories.js';

/** Makes (or finds, by name) an account in the local AWS cloud and returns its keys. Idempotent. */
export type LocalCloudAccountFactory = (name: string) => Promise<{ readonly accessKeyId: string; readonly secretAccessKey: string }>;

/** Makes (or finds, by name) each provider's pool accounts in the local cloud. Idempotent. */
export interface LocalCloudAccountFactories {
  readonly AWS?: LocalCloudAccountFactory;
  /** A subscription of the local Azure cloud with its own service principal. */
  readonly AZURE?: (name: string) => Promise<NonNullable<ProviderAccountAccess['azure']>>;
  /** A project of the local GCP cloud with a service account key. */
  readonly GCP?: (name: string) => Promise<NonNullable<ProviderAccountAccess['gcp']>>;
}

/**
 * Turns pool accounts into what the adapters use: the credentials of a local-cloud account,
 * subscription or project (made on first use, named `privlink-pool-<name>`), an AWS access key or
 * role to assume, an Azure service principal, a GCP service account key. Also the adapters'
 * directory of which account each endpoint service is placed in (a placement never moves: cached
 * once seen).
 */
export class ProviderAccountAccessor implements ProviderAccountDirectory {
  private readonly placed = new Map<string, ProviderAccountAccess>();
  private readonly local = new Map<string, Promise<ProviderAccountAccess>>();
  private readonly localCloud: LocalCloudAccountFactories;

  constructor(
    private readonly store: Store,
    localCloud: LocalCloudAccountFactory | LocalCloudAccountFactories | undefined,
  ) {
    this.localCloud = typeof localCloud === 'function' ? { AWS: localCloud } : (localCloud ?? {});
  }

  /** How the adapter reaches `account`. Throws when a local-cloud account is asked for without that provider's local cloud. */
  async access(account: ProviderAccountWithSecret): Promise<ProviderAccountAccess> {
    if (account.kind === 'LOCAL_CLOUD') {
      let made = this.local.get(account.id);
      if (!made) {
        made = this.makeLocal(account);
        this.local.set(account.id, made);
        made.catch(() => this.local.delete(account.id));
      }
      return await made;
    }
    if (account.kind === 'SERVICE_PRINCIPAL' && account.subscriptionId && account.tenantId && account.clientId && account.clientSecret) {
      const azure = { subscriptionId: account.subscriptionId, tenantId: account.tenantId, clientId: account.clientId, clientSecret: account.clientSecret };
      return { id: account.id, name: account.name, azure };
    }
    if (account.kind === 'SERVICE_ACCOUNT_KEY' && account.projectId && account.serviceAccountKey) {
      return { id: account.id, name: account.name, gcp: { projectId: account.projectId, serviceAccountKey: account.serviceAccountKey } };
    }
    if (account.kind === 'ACCESS_KEY' && account.accessKeyId && account.secretAccessKey) {
      return { id: account.id, name: account.name, credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey } };
    }
    return { id: account.id, name: account.name, ...(account.roleArn ? { roleArn: account.roleArn } : {}) };
  }

  private async makeLocal(account: ProviderAccountWithSecret): Promise<ProviderAccountAccess> {
    const name = `privlink-pool-${account.name}`;
    const base = { id: account.id, name: account.name };
    const missing = () => new Error(`Provider account ${account.name} is a local-cloud ${account.provider} account, but this process runs no local ${account.provider} cloud`);
    switch (account.provider) {
      case 'AZURE': {
        if (!this.localCloud.AZURE) throw missing();
        const { subscriptionId, tenantId, clientId, clientSecret } = await this.localCloud.AZURE(name);
        return { ...base, azure: { subscriptionId, tenantId, clientId, clientSecret } };
      }
      case 'GCP': {
        if (!this.localCloud.GCP) throw missing();
        const { projectId, serviceAccountKey } = await this.localCloud.GCP(name);
        return { ...base, gcp: { projectId, serviceAccountKey } };
      }
      default: {
        if (!this.localCloud.AWS) throw missing();
        const { accessKeyId, secretAccessKey } = await this.localCloud.AWS(name);
        return { ...base, credentials: { accessKeyId, secretAccessKey } };
      }
    }
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
