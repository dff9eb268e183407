import type { DatabaseUserRecord, DatabaseUserSpec } from '../domain/database-user.js';
import type { ScramCredentials } from '../domain/scram.js';
import type { Executor } from './database.js';

type UserRow = {
  id: string;
  project_id: string;
  database_name: string;
  username: string;
  spec: unknown;
  credentials: unknown;
  delete_after_date: Date | null;
  created_at: Date;
  updated_at: Date;
};

/**
 * Database users of projects. Usernames are unique per project and authentication database.
 * Reads taking `now` leave out users whose deleteAfterDate has passed (Atlas deletes them then);
 * their rows are removed by the next write to the project's users (`deleteExpired`).
 */
export class DatabaseUsersRepository {
  constructor(private readonly db: Executor) {}

  async find(projectId: string, databaseName: string, username: string, now: Date): Promise<DatabaseUserRecord | undefined> {
    const row = await this.db
      .selectFrom('database_users')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('database_name', '=', databaseName)
      .where('username', '=', username)
      .where((eb) => eb.or([eb('delete_after_date', 'is', null), eb('delete_after_date', '>', now)]))
      .executeTakeFirst();
    return row && toUser(row);
  }

  async listByProject(projectId: string, now: Date): Promise<DatabaseUserRecord[]> {
    const rows = await this.db
      .selectFrom('database_users')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('delete_after_date', 'is', null), eb('delete_after_date', '>', now)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toUser);
  }

  async countByProject(projectId: string, now: Date): Promise<number> {
    const row = await this.db
      .selectFrom('database_users')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('delete_after_date', 'is', null), eb('delete_after_date', '>', now)]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Removes the project's users whose deleteAfterDate has passed. */
  async deleteExpired(projectId: string, now: Date): Promise<void> {
    await this.db.deleteFrom('database_users').where('project_id', '=', projectId).where('delete_after_date', '<=', now).execute();
  }

  async insert(user: DatabaseUserRecord): Promise<void> {
    await this.db
      .insertInto('database_users')
      .values({
        id: user.id,
        project_id: user.projectId,
        database_name: user.databaseName,
        username: user.username,
        spec: JSON.stringify(specJson(user.spec)),
        credentials: JSON.stringify(user.credentials),
        delete_after_date: user.spec.deleteAfterDate ?? null,
        created_at: user.createdAt,
        updated_at: user.updatedAt,
      })
      .execute();
  }

  async update(id: string, changes: { spec: DatabaseUserSpec; credentials?: ScramCredentials }, now: Date): Promise<void> {
    await this.db
      .updateTable('database_users')
      .set({
        spec: JSON.stringify(specJson(changes.spec)),
        delete_after_date: changes.spec.deleteAfterDate ?? null,
        ...(changes.credentials ? { credentials: JSON.stringify(changes.credentials) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('database_users').where('id', '=', id).execute();
  }
}

function specJson(spec: DatabaseUserSpec): Record<string, unknown> {
  return { ...spec, ...(spec.deleteAfterDate ? { deleteAfterDate: spec.deleteAfterDate.toISOString() } : {}) };
}

function toUser(row: UserRow): DatabaseUserRecord {
  const stored = (typeof row.spec === 'string' ? JSON.parse(row.spec) : row.spec) as Omit<DatabaseUserSpec, 'deleteAfterDate'> & { deleteAfterDate?: string };
  const { deleteAfterDate, ...rest } = stored;
  return {
    id: row.id,
    projectId: row.project_id,
    databaseName: 'admin',
    username: row.username,
    spec: { ...rest, ...(deleteAfterDate ? { deleteAfterDate: new Date(deleteAfterDate) } : {}) },
    credentials: (typeof row.credentials === 'string' ? JSON.parse(row.credentials) : row.credentials) as ScramCredentials,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
