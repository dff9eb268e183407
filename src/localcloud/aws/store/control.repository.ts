import { sql } from 'kysely';
import type { Account } from '../model.js';
import type { StoredFault } from '../../common/faults.js';
import { json, type LcExecutor } from './schema.js';

/**
 * Accounts, emulator settings, fault switches and ClientToken records. Thin queries; missing
 * rows come back as undefined.
 */
export class ControlRepository {
  constructor(private readonly db: LcExecutor) {}

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('lc_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  /** Several settings in one query (missing keys are absent from the map). */
  async getSettings(keys: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('lc_settings').select(['key', 'value']).where('key', 'in', keys).execute();
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('lc_settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /** Stores the value unless the key exists; returns the stored value (first writer wins). */
  async initSetting(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('lc_settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.getSetting(key))!;
  }

  /** When the first lazy step of a load balancer, endpoint service or VPC endpoint falls due (undefined: none pending). One indexed query. */
  async firstStepDueAt(): Promise<Date | undefined> {
    const { rows } = await sql<{ at: Date | null }>`select ${FIRST_DUE} as at`.execute(this.db);
    return rows[0]?.at ? new Date(rows[0].at) : undefined;
  }

  /**
   * What every request reads before it runs, in one query: whether a fault is set for `action`
   * (take it with `takeFault`), the settings named by `keys`, and, with `firstDue`, when the first
   * lazy step falls due (as firstStepDueAt; a read-only request asks within its own transaction).
   * Written as SQL text: built with the query builder on every request, it made a large share of
   * the emulator's short-lived garbage.
   */
  async requestInputs(action: string, keys: readonly string[], firstDue = false): Promise<{ faultSet: boolean; settings: Map<string, string>; firstDueAt?: Date }> {
    const { rows } = await sql<{
      fault_set: boolean;
      settings: Record<string, string> | string | null;
      first_due: Date | null;
    }>`select exists (select 1 from lc_faults where action = ${action}) as fault_set, ${settingsObject(keys)} as settings, ${firstDue ? FIRST_DUE : sql`null`} as first_due`.execute(
      this.db,
    );
    const row = rows[0]!;
    const values = typeof row.settings === 'string' ? (JSON.parse(row.settings) as Record<string, string>) : (row.settings ?? {});
    return { faultSet: row.fault_set === true, settings: new Map(Object.entries(values)), ...(row.first_due ? { firstDueAt: new Date(row.first_due) } : {}) };
  }

  async setFault(action: string, fault: StoredFault | null, times: number | undefined): Promise<void> {
    if (fault === null) {
      await this.db.deleteFrom('lc_faults').where('action', '=', action).execute();
      return;
    }
    const values = { action, fault: json(fault), remaining: times ?? null };
    await this.db
      .insertInto('lc_faults')
      .values(values)
      .onConflict((oc) => oc.column('action').doUpdateSet({ fault: values.fault, remaining: values.remaining }))
      .execute();
  }

  /**
   * Takes one use of the fault set for `action`, if any: decrements a counted fault atomically
   * (several processes may share the store) and removes it when used up.
   */
  async takeFault(action: string): Promise<StoredFault | undefined> {
    const row = await this.db
      .updateTable('lc_faults')
      .set((eb) => ({
        remaining: eb
          .case()
          .when('remaining', 'is', null)
          .then(null)
          .else(eb('remaining', '-', 1))
          .end(),
      }))
      .where('action', '=', action)
      .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]))
      .returning(['fault', 'remaining'])
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.remaining === 0) await this.db.deleteFrom('lc_faults').where('action', '=', action).where('remaining', '=', 0).execute();
    return row.fault as StoredFault;
  }

  async findAccountByAccessKey(accessKeyId: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('lc_accounts').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row && toAccount(row);
  }

  async findAccountByName(name: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('lc_accounts').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toAccount(row);
  }

  /** Inserts the account unless the name exists; returns the stored one (first writer wins). */
  async insertAccount(account: Account): Promise<Account> {
    await this.db
      .insertInto('lc_accounts')
      .values({
        account_id: account.accountId,
        name: account.name,
        access_key_id: account.accessKeyId,
        secret_access_key: account.secretAccessKey,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.findAccountByName(account.name))!;
  }

  async accountExists(accountId: string): Promise<boolean> {
    return (await this.db.selectFrom('lc_accounts').select('account_id').where('account_id', '=', accountId).executeTakeFirst()) !== undefined;
  }

  /** The default VPC id of an account in a region, once its defaults were made. */
  async findDefaultVpcId(accountId: string, region: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('lc_account_regions').select('default_vpc_id').where('account_id', '=', accountId).where('region', '=', region).executeTakeFirst();
    return row?.default_vpc_id;
  }

  async recordAccountRegion(accountId: string, region: string, defaultVpcId: string): Promise<void> {
    await this.db.insertInto('lc_account_regions').values({ account_id: accountId, region, default_vpc_id: defaultVpcId }).execute();
  }

  async findClientToken(accountId: string, region: string, action: string, token: string): Promise<{ requestHash: string; resourceId: string } | undefined> {
    const row = await this.db
      .selectFrom('lc_client_tokens')
      .select(['request_hash', 'resource_id'])
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('action', '=', action)
      .where('token', '=', token)
      .executeTakeFirst();
    return row && { requestHash: row.request_hash, resourceId: row.resource_id };
  }

  async saveClientToken(accountId: string, region: string, action: string, token: string, requestHash: string, resourceId: string, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_client_tokens')
      .values({ account_id: accountId, region, action, token, request_hash: requestHash, resource_id: resourceId, created_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'action', 'token']).doUpdateSet({ request_hash: requestHash, resource_id: resourceId }))
      .execute();
  }
}

function toAccount(row: { account_id: string; name: string; access_key_id: string; secret_access_key: string }): Account {
  return { accountId: row.account_id, name: row.name, accessKeyId: row.access_key_id, secretAccessKey: row.secret_access_key };
}

/** The earliest `next_state_at` of the three tables with lazy steps (null: none pending); one expression, built once. */
export const FIRST_DUE = sql<Date | null>`least((select min(next_state_at) from lc_load_balancers), (select min(next_state_at) from lc_endpoint_services), (select min(next_state_at) from lc_vpc_endpoints))`;

/** The settings named by `keys` as one JSON object (null when none is set or none is named). */
export function settingsObject(keys: readonly string[]) {
  return keys.length > 0 ? sql<unknown>`(select json_object_agg(key, value) from lc_settings where key in (${sql.join(keys)}))` : sql<null>`null`;
}
