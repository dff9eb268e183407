import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The change log the public gateway's routes follow (`public_route_changes`): row-level triggers
 * on the tables the routes are read from note the project a row belongs to each time a row that
 * could move a route is inserted, updated or deleted, cascades included, whoever writes it (a
 * cluster's spec, deletion mark or project, not its state; any port allocation; a serverless
 * instance; a project's host suffix, or its deletion). Each change carries the id of the
 * transaction that made it (`xid`), so a reader that remembers the oldest transaction still
 * running when it last read (`pg_snapshot_xmin`) finds every change committed since, in
 * whatever order transactions committed (public-route-book.ts).
 *
 * The log prunes itself: every 1,000th change deletes the changes noted more than ten minutes ago.
 * A reader reads every route again when its last read is older than five minutes.
 */
/** The tables whose rows feed the routes, with the column that names each row's project. */
const NOTED: ReadonlyArray<{ readonly table: string; readonly project: string; readonly updateWhen?: string }> = [
  {
    table: 'clusters',
    project: 'project_id',
    updateWhen: 'old.spec is distinct from new.spec or old.delete_requested is distinct from new.delete_requested or old.project_id is distinct from new.project_id',
  },
  { table: 'port_allocations', project: 'project_id' },
  {
    table: 'serverless_instances',
    project: 'project_id',
    updateWhen:
      'old.spec is distinct from new.spec or old.name is distinct from new.name or old.delete_requested is distinct from new.delete_requested or old.project_id is distinct from new.project_id',
  },
  { table: 'projects', project: 'id', updateWhen: 'old.host_suffix is distinct from new.host_suffix' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists public_route_changes (
      seq bigint generated always as identity primary key,
      xid xid8 not null default pg_current_xact_id(),
      project_id text not null,
      at timestamptz not null default clock_timestamp()
    );
    create index if not exists public_route_changes_xid on public_route_changes (xid);
    create index if not exists public_route_changes_at on public_route_changes (at);
  `,
  );
  // One statement (its body holds semicolons at the ends of lines).
  await sql
    .raw(
      `
    create or replace function note_public_route_change() returns trigger language plpgsql as $$
    declare
      noted bigint;
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        insert into public_route_changes (project_id) values (to_jsonb(old) ->> tg_argv[0]) returning seq into noted;
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and (to_jsonb(old) ->> tg_argv[0]) is distinct from (to_jsonb(new) ->> tg_argv[0])) then
        insert into public_route_changes (project_id) values (to_jsonb(new) ->> tg_argv[0]) returning seq into noted;
      end if;
      if noted % 1000 = 0 then
        delete from public_route_changes where at < clock_timestamp() - interval '10 minutes';
      end if;
      return null;
    end
    $$`,
    )
    .execute(db);
  for (const { table, project, updateWhen } of NOTED) {
    await runStatements(
      db,
      `
      drop trigger if exists ${table}_public_routes on ${table};
      drop trigger if exists ${table}_public_routes_update on ${table};
      create trigger ${table}_public_routes after insert or delete on ${table}
        for each row execute function note_public_route_change('${project}');
      create trigger ${table}_public_routes_update after update on ${table}
        for each row ${updateWhen ? `when (${updateWhen})` : ''} execute function note_public_route_change('${project}');
    `,
    );
  }
}
