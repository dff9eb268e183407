import { sql } from 'kysely';
import { FIRST_DUE } from './resources.repository.js';
import { json, type AzureExecutor } from './schema.js';

/** A service principal with its own tenant and subscription. */
export interface AzureAccount {
  readonly name: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A fault as stored: what to do instead of (or before answering) an ARM operation. */
export type StoredAzureFault =
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly status?: number }
  | { readonly kind: 'throttle'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'timeout'; readonly ms?: number }
  | { readonly kind: 'failAsync'; readonly code: string; readonly message: string };

/**
 * Accounts, issued tokens (by hash), settings and fault switches of the Azure emulation. Thin
 * queries; missing rows come back as undefined.
 */
export class AzureControlRepository {
  constructor(private readonly db: AzureExecutor) {}

  async findAccountByName(name: string): Promise<AzureAccount | undefined> {
    const row = await this.db.selectFrom('lc_azure_accounts').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toAccount(row);
  }

  async findAccountByClientId(clientId: string): Promise<AzureAccount | undefined> {
    const row = await this.db.selectFrom('lc_azure_accounts').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && toAccount(row);
  }

  async tenantExists(tenantId: string): Promise<boolean> {
    return (await this.db.selectFrom('lc_azure_accounts').select('name').where('tenant_id', '=', tenantId).executeTakeFirst()) !== undefined;
  }

  /** Inserts the account unless the name exists; returns the stored one (first writer wins). */
  async insertAccount(account: AzureAccount): Promise<AzureAccount> {
    await this.db
      .insertInto('lc_azure_accounts')
      .values({ name: account.name, tenant_id: account.tenantId, subscription_id: account.subscriptionId, client_id: account.clientId, client_secret: account.clientSecret })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.findAccountByName(account.name))!;
  }

  async saveToken(tokenHash: string, tenantId: string, clientId: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('lc_azure_tokens').values({ token_hash: tokenHash, tenant_id: tenantId, client_id: clientId, expires_at: expiresAt }).execute();
  }

  async findToken(tokenHash: string): Promise<{ tenantId: string; clientId: string; expiresAt: Date } | undefined> {
    const row = await this.db.selectFrom('lc_azure_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && { tenantId: row.tenant_id, clientId: row.client_id, expiresAt: row.expires_at };
  }

  /** Forgets tokens that expired before `before`. */
  async forgetTokens(before: Date): Promise<void> {
    await this.db.deleteFrom('lc_azure_tokens').where('expires_at', '<', before).execute();
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('lc_azure_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  /**
   * What a request needs before it runs, in one query: whether a fault is set for `operation` (or
   * for `*`), the setting `settingKey` and, with `firstDue`, when the first transition falls due
   * (undefined: none, or not asked).
   */
  async requestInputs(operation: string, settingKey: string, firstDue: boolean): Promise<{ faultSet: boolean; setting: string | undefined; firstDueAt?: Date }> {
    const { rows } = await sql<{
      fault_set: boolean;
      setting: string | null;
      first_due: Date | string | null;
    }>`select exists (select 1 from lc_azure_faults where operation in (${operation}, '*')) as fault_set, (select value from lc_azure_settings where key = ${settingKey}) as setting, ${firstDue ? FIRST_DUE : sql`null`} as first_due`.execute(
      this.db,
    );
    const row = rows[0]!;
    return { faultSet: row.fault_set === true, setting: row.setting ?? undefined, ...(row.first_due ? { firstDueAt: new Date(row.first_due) } : {}) };
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('lc_azure_settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async setFault(operation: string, fault: StoredAzureFault | null, times: number | undefined): Promise<void> {
    if (fault === null) {
      await this.db.deleteFrom('lc_azure_faults').where('operation', '=', operation).execute();
      return;
    }
    const values = { operation, fault: json(fault), remaining: times ?? null };
    await this.db
      .insertInto('lc_azure_faults')
      .values(values)
      .onConflict((oc) => oc.column('operation').doUpdateSet({ fault: values.fault, remaining: values.remaining }))
      .execute();
  }

  /**
   * Takes one use of the fault set for `operation` (or for `*`), if any: decrements a counted
   * fault atomically (several processes may share the store) and removes it when used up.
   */
  async takeFault(operation: string): Promise<StoredAzureFault | undefined> {
    const configured = await this.db.selectFrom('lc_azure_faults').select('operation').where('operation', 'in', [operation, '*']).execute();
    if (configured.length === 0) return undefined;
    const key = configured.some((c) => c.operation === operation) ? operation : '*';
    const row = await this.db
      .updateTable('lc_azure_faults')
      .set((eb) => ({
        remaining: eb
          .case()
          .when('remaining', 'is', null)
          .then(null)
          .else(eb('remaining', '-', 1))
          .end(),
      }))
      .where('operation', '=', key)
      .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]))
      .returning(['fault', 'remaining'])
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.remaining === 0) await this.db.deleteFrom('lc_azure_faults').where('operation', '=', key).where('remaining', '=', 0).execute();
    return row.fault as StoredAzureFault;
  }
}

function toAccount(row: { name: string; tenant_id: string; subscription_id: string; client_id: string; client_secret: string }): AzureAccount {
  return { name: row.name, tenantId: row.tenant_id, subscriptionId: row.subscription_id, clientId: row.client_id, clientSecret: row.client_secret };
}
