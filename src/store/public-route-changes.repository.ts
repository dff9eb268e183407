import { sql } from 'kysely';
import type { Executor } from './database.js';

/** The projects changed since a reader's last read, and where its next read starts. */
export interface PublicRouteChanges {
  /** The oldest transaction still running as this read's snapshot was taken (`xid8` as text): the next read's `since`. */
  readonly xmin: string;
  /** Projects whose public routes may have changed by transactions from `since` on (undefined when `since` was not given). */
  readonly projectIds: readonly string[] | undefined;
}

/**
 * The public gateway's change log (migration 0021): triggers note the project of every written
 * row the routes are made from, with the writing transaction's id. Read it in a repeatable-read
 * transaction, first: the projects noted by transactions with an id at or after `since` — every
 * transaction not yet visible to the read that returned `since` has one — and the snapshot's
 * xmin for the next read.
 */
export class PublicRouteChangesRepository {
  constructor(private readonly db: Executor) {}

  async since(since: string | undefined): Promise<PublicRouteChanges> {
    const changed = since === undefined ? sql`null` : sql`(select array_agg(distinct project_id) from public_route_changes where xid >= ${since}::xid8)`;
    const { rows } = await sql<{ xmin: string; projects: string[] | null }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, ${changed} as projects`.execute(this.db);
    const row = rows[0]!;
    return { xmin: row.xmin, projectIds: since === undefined ? undefined : (row.projects ?? []) };
  }
}
