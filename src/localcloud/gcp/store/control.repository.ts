import type { StoredFault } from '../../common/faults.js';
import { sql } from 'kysely';
import { firstDue } from './resources.repository.js';
import { json, type GcpExecutor } from './schema.js';

/**
 * Which emulated project: privlink's own (producer), the customer's (consumer), or a project of the
 * provider account pool made on request (`pool:<name>`, the name it was asked for).
 */
export type ProjectRole = 'producer' | 'consumer' | `pool:${string}`;

/** A project with its service account and the key material the emulator checks signatures with. */
export interface StoredProject {
  readonly role: ProjectRole;
  readonly projectId: string;
  /** Decimal, as Compute shows project numbers. */
  readonly projectNumber: string;
  readonly clientEmail: string;
  readonly clientId: string;
  readonly privateKeyId: string;
  /** PKCS#8 PEM. */
  readonly privateKey: string;
  /** SPKI PEM. */
  readonly publicKey: string;
  /** The OAuth refresh token the `/token` endpoint exchanges for access tokens (a secret). */
  readonly refreshToken: string;
}

/**
 * Projects, issued tokens (by hash), settings and fault switches of the GCP emulation. Thin
 * queries; missing rows come back as undefined.
 */
export class GcpControlRepository {
  constructor(private readonly db: GcpExecutor) {}

  async findProject(role: ProjectRole): Promise<StoredProject | undefined> {
    const row = await this.db.selectFrom('lc_gcp_projects').selectAll().where('role', '=', role).executeTakeFirst();
    return row && toProject(row);
  }

  async allProjects(): Promise<StoredProject[]> {
    return (await this.db.selectFrom('lc_gcp_projects').selectAll().orderBy('created_at').execute()).map(toProject);
  }

  /** Inserts the project unless its role exists; returns the stored one (first writer wins). */
  async insertProject(p: StoredProject): Promise<StoredProject> {
    await this.db
      .insertInto('lc_gcp_projects')
      .values({
        role: p.role,
        project_id: p.projectId,
        project_number: p.projectNumber,
        client_email: p.clientEmail,
        client_id: p.clientId,
        private_key_id: p.privateKeyId,
        private_key: p.privateKey,
        public_key: p.publicKey,
        refresh_token: p.refreshToken,
      })
      .onConflict((oc) => oc.column('role').doNothing())
      .execute();
    return (await this.findProject(p.role))!;
  }

  async saveToken(tokenHash: string, projectId: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('lc_gcp_tokens').values({ token_hash: tokenHash, project_id: projectId, expires_at: expiresAt }).execute();
  }

  async findToken(tokenHash: string): Promise<{ projectId: string; expiresAt: Date } | undefined> {
    const row = await this.db.selectFrom('lc_gcp_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && { projectId: row.project_id, expiresAt: row.expires_at };
  }

  /** Forgets tokens that expired before `before`. */
  async forgetTokens(before: Date): Promise<void> {
    await this.db.deleteFrom('lc_gcp_tokens').where('expires_at', '<', before).execute();
  }

  /**
   * What a request needs before it runs, in one query: whether a fault is set for `operation` (or
   * for `*`), the setting `settingKey` and, with `retentionMs`, when the store next has something
   * to forget (undefined: nothing, or not asked).
   */
  async requestInputs(operation: string, settingKey: string, retentionMs: number | undefined): Promise<{ faultSet: boolean; setting: string | undefined; firstDueAt?: Date }> {
    const { rows } = await sql<{
      fault_set: boolean;
      setting: string | null;
      first_due: Date | string | null;
    }>`select exists (select 1 from lc_gcp_faults where operation in (${operation}, '*')) as fault_set, (select value from lc_gcp_settings where key = ${settingKey}) as setting, ${retentionMs === undefined ? sql`null` : firstDue(retentionMs)} as first_due`.execute(
      this.db,
    );
    const row = rows[0]!;
    return { faultSet: row.fault_set === true, setting: row.setting ?? undefined, ...(row.first_due ? { firstDueAt: new Date(row.first_due) } : {}) };
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('lc_gcp_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('lc_gcp_settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async setFault(operation: string, fault: StoredFault | null, times: number | undefined): Promise<void> {
    if (fault === null) {
      await this.db.deleteFrom('lc_gcp_faults').where('operation', '=', operation).execute();
      return;
    }
    const values = { operation, fault: json(fault), remaining: times ?? null };
    await this.db
      .insertInto('lc_gcp_faults')
      .values(values)
      .onConflict((oc) => oc.column('operation').doUpdateSet({ fault: values.fault, remaining: values.remaining }))
      .execute();
  }

  /**
   * Takes one use of the fault set for `operation` (or for `*`), if any: decrements a counted
   * fault atomically (several processes may share the store) and removes it when used up.
   */
  async takeFault(operation: string): Promise<StoredFault | undefined> {
    const configured = await this.db.selectFrom('lc_gcp_faults').select('operation').where('operation', 'in', [operation, '*']).execute();
    if (configured.length === 0) return undefined;
    const key = configured.some((c) => c.operation === operation) ? operation : '*';
    const row = await this.db
      .updateTable('lc_gcp_faults')
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
    if (row.remaining === 0) await this.db.deleteFrom('lc_gcp_faults').where('operation', '=', key).where('remaining', '=', 0).execute();
    return row.fault as StoredFault;
  }
}

function toProject(row: {
  role: string;
  project_id: string;
  project_number: string;
  client_email: string;
  client_id: string;
  private_key_id: string;
  private_key: string;
  public_key: string;
  refresh_token: string;
}): StoredProject {
  return {
    role: row.role === 'producer' || row.role.startsWith('pool:') ? (row.role as ProjectRole) : 'consumer',
    projectId: row.project_id,
    projectNumber: row.project_number,
    clientEmail: row.client_email,
    clientId: row.client_id,
    privateKeyId: row.private_key_id,
    privateKey: row.private_key,
    publicKey: row.public_key,
    refreshToken: row.refresh_token,
  };
}
