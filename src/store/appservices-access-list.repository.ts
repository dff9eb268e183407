import type { AppAccessEntry } from '../domain/appservices-access-list.js';
import type { Executor } from './database.js';

type EntryRow = { id: string; project_id: string; app_id: string; address: string; comment: string | null; created_at: Date };

/** The IP access lists of App Services apps, in the order the entries were made. */
export class AppServicesAccessListRepository {
  constructor(private readonly db: Executor) {}

  async listByApp(appId: string): Promise<AppAccessEntry[]> {
    const rows = await this.db.selectFrom('appservices_access_list').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toEntry);
  }

  async find(appId: string, id: string): Promise<AppAccessEntry | undefined> {
    const row = await this.db.selectFrom('appservices_access_list').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    return row && toEntry(row);
  }

  async insert(entry: AppAccessEntry): Promise<void> {
    await this.db
      .insertInto('appservices_access_list')
      .values({ id: entry.id, project_id: entry.projectId, app_id: entry.appId, address: entry.address, comment: entry.comment, created_at: entry.createdAt })
      .execute();
  }

  async update(id: string, changes: { address: string; comment: string | null }): Promise<void> {
    await this.db.updateTable('appservices_access_list').set({ address: changes.address, comment: changes.comment }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('appservices_access_list').where('id', '=', id).execute();
  }
}

function toEntry(row: EntryRow): AppAccessEntry {
  return { id: row.id, projectId: row.project_id, appId: row.app_id, address: row.address, comment: row.comment, createdAt: new Date(row.created_at) };
}
