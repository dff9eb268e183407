import { poolProvider, type ProviderAccount, type ProviderAccountKind, type ProviderAccountState, type QuotaUse } from '../domain/provider-capacity.js';
import type { Executor } from './database.js';

/** A pool account with its secrets, for the adapter only (never serialised). */
export interface ProviderAccountWithSecret extends ProviderAccount {
  readonly secretAccessKey: string | null;
  /** Azure SERVICE_PRINCIPAL: the client secret. */
  readonly clientSecret: string | null;
  /** GCP SERVICE_ACCOUNT_KEY: the service account's JSON key. */
  readonly serviceAccountKey: string | null;
}

type AccountRow = {
  id: string;
  provider: string;
  name: string;
  kind: string;
  access_key_id: string | null;
  secret_access_key: string | null;
  role_arn: string | null;
  subscription_id: string | null;
  tenant_id: string | null;
  client_id: string | null;
  client_secret: string | null;
  project_id: string | null;
  service_account_key: string | null;
  state: string;
  created_at: Date;
};

/** The provider account pool and the placements of endpoint services in it. Thin queries. */
export class ProviderAccountsRepository {
  constructor(private readonly db: Executor) {}

  async listAccounts(provider: string): Promise<ProviderAccountWithSecret[]> {
    const rows = await this.db.selectFrom('provider_accounts').selectAll().where('provider', '=', provider).orderBy('created_at').orderBy('id').execute();
    return rows.map(toAccount);
  }

  /** Locks every account row of the provider until the transaction ends: placements are decided one at a time. */
  async lockAccounts(provider: string): Promise<ProviderAccountWithSecret[]> {
    const rows = await this.db.selectFrom('provider_accounts').selectAll().where('provider', '=', provider).orderBy('created_at').orderBy('id').forUpdate().execute();
    return rows.map(toAccount);
  }

  async findAccount(id: string): Promise<ProviderAccountWithSecret | undefined> {
    const row = await this.db.selectFrom('provider_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAccount(row);
  }

  async findAccountByName(provider: string, name: string): Promise<ProviderAccountWithSecret | undefined> {
    const row = await this.db.selectFrom('provider_accounts').selectAll().where('provider', '=', provider).where('name', '=', name).executeTakeFirst();
    return row && toAccount(row);
  }

  /** The account named `name`, whatever its provider (names are unique across the pool). */
  async findAccountByAnyName(name: string): Promise<ProviderAccountWithSecret | undefined> {
    const row = await this.db.selectFrom('provider_accounts').selectAll().where('name', '=', name).orderBy('created_at').executeTakeFirst();
    return row && toAccount(row);
  }

  /** Every account of every provider, oldest first. */
  async listAllAccounts(): Promise<ProviderAccountWithSecret[]> {
    const rows = await this.db.selectFrom('provider_accounts').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toAccount);
  }

  /** Inserts the account unless its name is taken; returns whether it was inserted. */
  async insertAccount(account: ProviderAccountWithSecret): Promise<boolean> {
    const result = await this.db
      .insertInto('provider_accounts')
      .values({
        id: account.id,
        provider: account.provider,
        name: account.name,
        kind: account.kind,
        access_key_id: account.accessKeyId,
        secret_access_key: account.secretAccessKey,
        role_arn: account.roleArn,
        subscription_id: account.subscriptionId,
        tenant_id: account.tenantId,
        client_id: account.clientId,
        client_secret: account.clientSecret,
        project_id: account.projectId,
        service_account_key: account.serviceAccountKey,
        state: account.state,
        created_at: account.createdAt,
      })
      .onConflict((oc) => oc.columns(['provider', 'name']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async setState(id: string, state: ProviderAccountState): Promise<void> {
    await this.db.updateTable('provider_accounts').set({ state }).where('id', '=', id).execute();
  }

  /** The account a service is placed in, if any. */
  async placementOf(serviceId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('provider_placements').select('account_id').where('service_id', '=', serviceId).executeTakeFirst();
    return row?.account_id;
  }

  /** The account holding other services of the same project and region (affinity). */
  async accountOfProjectRegion(projectId: string, provider: string, regionName: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('provider_placements')
      .select('account_id')
      .where('project_id', '=', projectId)
      .where('provider', '=', provider)
      .where('region_name', '=', regionName)
      .executeTakeFirst();
    return row?.account_id;
  }

  /**
   * Placements per account in one region of a provider: one row per account that holds any
   * (`provider_placement_counts`, kept by a trigger), however many services the region holds.
   */
  async countPlacements(provider: string, regionName: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('provider_placement_counts')
      .select(['account_id', 'placements'])
      .where('provider', '=', provider)
      .where('region_name', '=', regionName)
      .where('placements', '>', 0)
      .execute();
    return new Map(rows.map((r) => [r.account_id, r.placements]));
  }

  /** Placements per account and region (every region), for the capacity report. */
  async countAllPlacements(provider: string): Promise<Array<{ accountId: string; regionName: string; placements: number }>> {
    const rows = await this.db
      .selectFrom('provider_placement_counts')
      .select(['account_id', 'region_name', 'placements'])
      .where('provider', '=', provider)
      .where('placements', '>', 0)
      .execute();
    return rows.map((r) => ({ accountId: r.account_id, regionName: r.region_name, placements: r.placements }));
  }

  /** Placements left in an account and region other than `exceptServiceId`. */
  async countOthers(accountId: string, regionName: string, exceptServiceId: string): Promise<number> {
    const row = await this.db
      .selectFrom('provider_placements')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', accountId)
      .where('region_name', '=', regionName)
      .where('service_id', '!=', exceptServiceId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Keeps the last quota reading of an account in a region (the capacity report shows it). */
  async saveReading(accountId: string, regionName: string, reading: QuotaReading, readAt: Date): Promise<void> {
    await this.db
      .insertInto('provider_quota_readings')
      .values({ account_id: accountId, region_name: regionName, reading: JSON.stringify(reading), read_at: readAt })
      .onConflict((oc) => oc.columns(['account_id', 'region_name']).doUpdateSet({ reading: JSON.stringify(reading), read_at: readAt }))
      .execute();
  }

  /** Every account's last readings, in every region, or in `regionName` only. */
  async listReadings(regionName?: string): Promise<Array<{ accountId: string; regionName: string; reading: QuotaReading; readAt: Date }>> {
    let query = this.db.selectFrom('provider_quota_readings').selectAll();
    if (regionName !== undefined) query = query.where('region_name', '=', regionName);
    const rows = await query.orderBy('account_id').orderBy('region_name').execute();
    return rows.flatMap((r) => {
      const reading = toReading(r.reading);
      return reading ? [{ accountId: r.account_id, regionName: r.region_name, reading, readAt: r.read_at }] : [];
    });
  }

  async insertPlacement(placement: { serviceId: string; accountId: string; provider: string; regionName: string; projectId: string }): Promise<void> {
    await this.db
      .insertInto('provider_placements')
      .values({
        service_id: placement.serviceId,
        account_id: placement.accountId,
        provider: placement.provider,
        region_name: placement.regionName,
        project_id: placement.projectId,
      })
      .onConflict((oc) => oc.column('service_id').doNothing())
      .execute();
  }
}

/**
 * A stored quota reading: the limits of one account in one region. `listeners` and
 * `hasProviderNetwork` complete it for placement (readings stored before they were kept lack them).
 */
export interface QuotaReading {
  readonly loadBalancers: StoredQuota;
  readonly vpcs: StoredQuota;
  readonly vpcsInUse: number;
  readonly listeners?: StoredQuota;
  readonly hasProviderNetwork?: boolean;
}

/** A quota as the provider states it (what privlink uses of it is counted, not stored). */
type StoredQuota = Omit<QuotaUse, 'used'>;

function toReading(value: unknown): QuotaReading | undefined {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!parsed || typeof parsed !== 'object') return undefined;
  const r = parsed as Partial<QuotaReading>;
  if (!r.loadBalancers || !r.vpcs || typeof r.vpcsInUse !== 'number') return undefined;
  return {
    loadBalancers: r.loadBalancers,
    vpcs: r.vpcs,
    vpcsInUse: r.vpcsInUse,
    ...(r.listeners ? { listeners: r.listeners } : {}),
    ...(typeof r.hasProviderNetwork === 'boolean' ? { hasProviderNetwork: r.hasProviderNetwork } : {}),
  };
}

function toKind(kind: string): ProviderAccountKind {
  return kind === 'ACCESS_KEY' || kind === 'ASSUME_ROLE' || kind === 'SERVICE_PRINCIPAL' || kind === 'SERVICE_ACCOUNT_KEY' ? kind : 'LOCAL_CLOUD';
}

function toAccount(row: AccountRow): ProviderAccountWithSecret {
  return {
    id: row.id,
    provider: poolProvider(row.provider),
    name: row.name,
    kind: toKind(row.kind),
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret_access_key,
    roleArn: row.role_arn,
    subscriptionId: row.subscription_id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    clientSecret: row.client_secret,
    projectId: row.project_id,
    serviceAccountKey: row.service_account_key,
    state: row.state === 'DRAINING' ? 'DRAINING' : 'ACTIVE',
    createdAt: row.created_at,
  };
}
