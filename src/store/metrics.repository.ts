import { sql } from 'kysely';
import type { Executor } from './database.js';

/** Tables of reconciled objects and the column that holds each one's status, by the kind name metrics use. */
const OBJECT_TABLES = [
  { kind: 'cluster', table: 'clusters', column: 'state_name' },
  { kind: 'endpoint_service', table: 'endpoint_services', column: 'status' },
  { kind: 'interface_endpoint', table: 'interface_endpoints', column: 'status' },
  { kind: 'serverless_instance', table: 'serverless_instances', column: 'state_name' },
  { kind: 'serverless_endpoint', table: 'serverless_endpoints', column: 'status' },
] as const;

/**
 * Aggregate reads for the Prometheus gauges, run only when `/metrics` is scraped: one grouped
 * query per question, no rows fetched. Times come from the database clock, as the queue's do.
 */
export class MetricsRepository {
  constructor(private readonly db: Executor) {}

  /** Queue rows per work kind, and how many are due and unleased now. */
  async queue(): Promise<Array<{ kind: string; depth: number; due: number }>> {
    const result = await sql<{ kind: string; depth: number; due: number }>`
      select kind, count(*)::int as depth,
             count(*) filter (where due_at <= now() and (lease_until is null or lease_until < now()))::int as due
        from reconcile_queue group by kind order by kind`.execute(this.db);
    return result.rows.map((row) => ({ kind: row.kind, depth: Number(row.depth), due: Number(row.due) }));
  }

  /** Seconds the oldest due, unleased item has been due (0 when none). */
  async oldestDueSeconds(): Promise<number> {
    const result = await sql<{ s: number | null }>`
      select extract(epoch from (now() - min(due_at)))::float8 as s
        from reconcile_queue where due_at <= now() and (lease_until is null or lease_until < now())`.execute(this.db);
    const seconds = result.rows[0]?.s;
    return seconds === null || seconds === undefined ? 0 : Math.max(0, Number(seconds));
  }

  /** Objects per kind and status. */
  async objects(): Promise<Array<{ kind: string; status: string; count: number }>> {
    const parts = OBJECT_TABLES.map(
      (t) => sql`select ${t.kind}::text as kind, ${sql.ref(t.column)}::text as status, count(*)::int as n from ${sql.table(t.table)} group by ${sql.ref(t.column)}`,
    );
    const result = await sql<{ kind: string; status: string; n: number }>`${sql.join(parts, sql` union all `)}`.execute(this.db);
    return result.rows.map((row) => ({ kind: row.kind, status: row.status, count: Number(row.n) }));
  }
}
