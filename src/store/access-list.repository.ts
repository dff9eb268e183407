import type { AccessListEntry } from '../domain/access-list.js';
import type { Executor } from './database.js';

type EntryRow = {
  project_id: string;
  entry_key: string;
  kind: string;
  comment: string | null;
  delete_after_date: Date | null;
  created_at: Date;
};

/** Project IP access list entries, unique per (project, entry key). */
export class AccessListRepository {
  constructor(private readonly db: Executor) {}

  async listByProject(projectId: string): Promise<AccessListEntry[]> {
    const rows = await this.db.selectFrom('access_list_entries').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('entry_key').execute();
    return rows.map(toEntry);
  }

  async find(projectId: string, entryKey: string): Promise<AccessListEntry | undefined> {
    const row = await this.db.selectFrom('access_list_entries').selectAll().where('project_id', '=', projectId).where('entry_key', '=', entryKey).executeTakeFirst();
    return row && toEntry(row);
  }

  /** Adds the entry, or replaces the comment and expiry of the entry with the same key. */
  async upsert(entry: AccessListEntry): Promise<void> {
    await this.db
      .insertInto('access_list_entries')
      .values({
        project_id: entry.projectId,
        entry_key: entry.entryKey,
        kind: entry.kind,
        comment: entry.comment,
        delete_after_date: entry.deleteAfterDate,
        created_at: entry.createdAt,
      })
      .onConflict((oc) => oc.columns(['project_id', 'entry_key']).doUpdateSet({ kind: entry.kind, comment: entry.comment, delete_after_date: entry.deleteAfterDate }))
      .execute();
  }

  /** Removes one entry; true when it existed. */
  async delete(projectId: string, entryKey: string): Promise<boolean> {
    const result = await this.db.deleteFrom('access_list_entries').where('project_id', '=', projectId).where('entry_key', '=', entryKey).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Removes every entry whose `deleteAfterDate` has passed; returns the projects touched. */
  async deleteExpired(now: Date): Promise<string[]> {
    const rows = await this.db.deleteFrom('access_list_entries').where('delete_after_date', '<=', now).returning('project_id').execute();
    return [...new Set(rows.map((row) => row.project_id))];
  }
}

function toEntry(row: EntryRow): AccessListEntry {
  return {
    projectId: row.project_id,
    entryKey: row.entry_key,
    kind: row.kind as AccessListEntry['kind'],
    comment: row.comment,
    deleteAfterDate: row.delete_after_date,
    createdAt: row.created_at,
  };
}
