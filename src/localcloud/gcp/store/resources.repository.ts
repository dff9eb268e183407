import { sql } from 'kysely';
import { json, type GcpExecutor, type JsonObject } from './schema.js';

/** When the store next has something to forget (ResourcesRepository.firstDueAt), as an SQL expression; null: nothing. */
export function firstDue(retentionMs: number) {
  return sql<
    Date | string | null
  >`least((select min(gone_at) from lc_gcp_resources), (select min(created_at) from lc_gcp_operations) + make_interval(secs => ${retentionMs / 1000}))`;
}

/** Where a resource lives: `global`, `regions/{region}` or `zones/{zone}`. */
export type Scope = string;

/** Which live rows: a collection, in one project and scope when given. */
type LiveFilter = { readonly collection: string; readonly project?: string; readonly scope?: Scope };

/** One Compute resource as stored: its key, its JSON document (links relative, see links.ts) and its lifetime. */
export interface ResourceRow {
  readonly project: string;
  readonly scope: Scope;
  /** The URL collection, e.g. `forwardingRules`, `backendServices`, `networkEndpointGroups`. */
  readonly collection: string;
  readonly name: string;
  readonly seq: number;
  /** Decimal uint64, unique. */
  readonly id: string;
  readonly body: JsonObject;
  /** The resource path this row points at, for reverse lookups (a PSC rule's attachment), else null. */
  readonly ref: string | null;
  /** Visible from then on (its insert operation is DONE). */
  readonly readyAt: Date;
  /** Gone from then on (its delete operation is DONE), or null. */
  readonly goneAt: Date | null;
  readonly createdAt: Date;
}

export type NewResource = Omit<ResourceRow, 'seq'>;

/** The key of a resource. */
export interface ResourceKey {
  readonly project: string;
  readonly scope: Scope;
  readonly collection: string;
  readonly name: string;
}

/**
 * Compute resources. Thin queries; missing rows come back as undefined. "Live" rows are those
 * not yet gone at `now` (they block a name and count as users); "visible" rows are live and ready.
 * Call inside the request's transaction (under the emulator lock).
 */
export class ResourcesRepository {
  constructor(private readonly db: GcpExecutor) {}

  /** The row with this key, whatever its lifetime (callers decide what it means). */
  async find(key: ResourceKey): Promise<ResourceRow | undefined> {
    const row = await this.db
      .selectFrom('lc_gcp_resources')
      .selectAll()
      .where('project', '=', key.project)
      .where('scope', '=', key.scope)
      .where('collection', '=', key.collection)
      .where('name', '=', key.name)
      .executeTakeFirst();
    return row && toRow(row);
  }

  /** Inserts or replaces the row with this key (seq is kept on replace). */
  async save(r: NewResource): Promise<void> {
    const values = {
      project: r.project,
      scope: r.scope,
      collection: r.collection,
      name: r.name,
      id: r.id,
      body: json(r.body),
      ref: r.ref,
      ready_at: r.readyAt,
      gone_at: r.goneAt,
      created_at: r.createdAt,
    };
    await this.db
      .insertInto('lc_gcp_resources')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['project', 'scope', 'collection', 'name'])
          .doUpdateSet({ id: values.id, body: values.body, ref: values.ref, ready_at: values.ready_at, gone_at: values.gone_at }),
      )
      .execute();
  }

  /**
   * When the store next has something to forget: the first gone resource's purge, or the oldest
   * operation's end of retention (`retentionMs` after it was made); undefined: nothing. One query on
   * two indexes.
   */
  async firstDueAt(retentionMs: number): Promise<Date | undefined> {
    const { rows } = await sql<{ at: Date | string | null }>`select ${firstDue(retentionMs)} as at`.execute(this.db);
    const at = rows[0]?.at;
    return at ? new Date(at) : undefined;
  }

  /** Removes rows whose deletion is done at `now`; returns how many. */
  async purgeGone(now: Date): Promise<number> {
    const rows = await this.db.deleteFrom('lc_gcp_resources').where('gone_at', '<=', now).returning('id').execute();
    return rows.length;
  }

  /** Live rows of a collection (in one project and scope when given), in creation order, after `afterSeq`, at most `limit`. */
  async live(filter: LiveFilter, now: Date, afterSeq = 0, limit = 100_000): Promise<ResourceRow[]> {
    const rows = await this.whereLive(filter, now).selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map(toRow);
  }

  /** How many rows of a collection (in one project and scope when given) are live at `now`. */
  async countLive(filter: LiveFilter, now: Date): Promise<number> {
    return Number(
      (
        await this.whereLive(filter, now)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  }

  /** The rows of a collection (in one project and scope when given) live at `now`, as a query to select from. */
  private whereLive(filter: LiveFilter, now: Date) {
    let query = this.db
      .selectFrom('lc_gcp_resources')
      .where('collection', '=', filter.collection)
      .where((eb) => eb.or([eb('gone_at', 'is', null), eb('gone_at', '>', now)]));
    if (filter.project !== undefined) query = query.where('project', '=', filter.project);
    if (filter.scope !== undefined) query = query.where('scope', '=', filter.scope);
    return query;
  }

  /** Live rows of each of `collections` (every project and scope), in creation order, in one query. */
  async liveOfCollections(collections: readonly string[], now: Date): Promise<Map<string, ResourceRow[]>> {
    const byCollection = new Map<string, ResourceRow[]>(collections.map((c) => [c, []]));
    if (collections.length === 0) return byCollection;
    const rows = await this.db
      .selectFrom('lc_gcp_resources')
      .selectAll()
      .where('collection', 'in', collections)
      .where((eb) => eb.or([eb('gone_at', 'is', null), eb('gone_at', '>', now)]))
      .orderBy('seq')
      .execute();
    for (const row of rows) byCollection.get(row.collection)?.push(toRow(row));
    return byCollection;
  }

  /** Live rows (any collection) whose `ref` is `path`. */
  async referring(path: string, now: Date): Promise<ResourceRow[]> {
    const rows = await this.db
      .selectFrom('lc_gcp_resources')
      .selectAll()
      .where('ref', '=', path)
      .where((eb) => eb.or([eb('gone_at', 'is', null), eb('gone_at', '>', now)]))
      .orderBy('seq')
      .execute();
    return rows.map(toRow);
  }

  /** The earliest pending ready or gone instant after `now`, or undefined. */
  async nextChangeAfter(now: Date): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('lc_gcp_resources')
      .select((eb) => [eb.fn.min('ready_at').filterWhere('ready_at', '>', now).as('ready'), eb.fn.min('gone_at').filterWhere('gone_at', '>', now).as('gone')])
      .executeTakeFirst();
    const times = [row?.ready, row?.gone].filter((t): t is Date => t !== null && t !== undefined).map((t) => new Date(t));
    if (times.length === 0) return undefined;
    return new Date(Math.min(...times.map((t) => t.getTime())));
  }
}

function toRow(row: {
  project: string;
  scope: string;
  collection: string;
  name: string;
  seq: number;
  id: string;
  body: JsonObject;
  ref: string | null;
  ready_at: Date;
  gone_at: Date | null;
  created_at: Date;
}): ResourceRow {
  return {
    project: row.project,
    scope: row.scope,
    collection: row.collection,
    name: row.name,
    seq: row.seq,
    id: row.id,
    body: row.body,
    ref: row.ref,
    readyAt: row.ready_at,
    goneAt: row.gone_at,
    createdAt: row.created_at,
  };
}

/** Whether a row is visible at `now`: its insert is done and its deletion is not. */
export function isVisible(row: Pick<ResourceRow, 'readyAt' | 'goneAt'>, now: Date): boolean {
  return row.readyAt.getTime() <= now.getTime() && (row.goneAt === null || row.goneAt.getTime() > now.getTime());
}

/** Whether a row still exists at `now` (being created counts; being deleted past its due time does not). */
export function isLive(row: Pick<ResourceRow, 'goneAt'>, now: Date): boolean {
  return row.goneAt === null || row.goneAt.getTime() > now.getTime();
}
