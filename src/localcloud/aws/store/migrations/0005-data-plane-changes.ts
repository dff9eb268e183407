import { sql, type Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';
import { EMULATOR_LOCK_KEYS } from '../../../common/emulator-lock.js';

/**
 * The change log the data-plane picture follows (`lc_dataplane_changes`): a row-level trigger on
 * every table the picture is built from notes the table and the key it is read by (the row's id,
 * or for rows read by group, e.g. a target group's targets, the group's key) each time a row is
 * inserted, updated or deleted, cascades included, whoever writes it. The trigger takes the AWS
 * emulator's lock first (a writer already holds it; the lock is re-entrant), so changes are
 * numbered in the order they commit: a reader that has seen change n has seen every change
 * before it.
 *
 * The log prunes itself: every 1,000th change deletes the changes older than ten minutes and
 * records the highest number deleted in `lc_settings` (`dataplane_changes_pruned_through`); a
 * reader whose last change is older than that reads the whole picture again.
 */
/** The tables the picture is read from, with the column each one's changes are noted by (picture-rows.repository.ts reads them the same way). */
const NOTED_TABLES: ReadonlyArray<readonly [string, string]> = [
  ['lc_vpcs', 'vpc_id'],
  ['lc_onprem_networks', 'gateway_id'],
  ['lc_security_groups', 'group_id'],
  ['lc_security_group_rules', 'group_id'],
  ['lc_network_interfaces', 'network_interface_id'],
  ['lc_load_balancers', 'arn'],
  ['lc_target_groups', 'arn'],
  ['lc_targets', 'target_group_arn'],
  ['lc_listeners', 'load_balancer_arn'],
  ['lc_endpoint_services', 'service_id'],
  ['lc_service_permissions', 'service_id'],
  ['lc_vpc_endpoints', 'vpc_endpoint_id'],
  ['lc_vpc_peerings', 'peering_id'],
  ['lc_routes', 'route_table_id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists lc_dataplane_changes (
      seq bigint generated always as identity primary key,
      tbl text not null,
      key text not null,
      at timestamptz not null default now()
    );
    create index if not exists lc_dataplane_changes_at on lc_dataplane_changes (at);
  `,
  );
  // One statement (its body holds semicolons at the ends of lines).
  await sql
    .raw(
      `
    create or replace function lc_note_dataplane_change() returns trigger language plpgsql as $$
    declare
      noted bigint;
      pruned bigint;
    begin
      perform pg_advisory_xact_lock(${EMULATOR_LOCK_KEYS.AWS});
      if tg_op = 'DELETE' then
        insert into lc_dataplane_changes (tbl, key) values (tg_table_name, to_jsonb(old) ->> tg_argv[0]) returning seq into noted;
      else
        insert into lc_dataplane_changes (tbl, key) values (tg_table_name, to_jsonb(new) ->> tg_argv[0]) returning seq into noted;
        if tg_op = 'UPDATE' and (to_jsonb(old) ->> tg_argv[0]) is distinct from (to_jsonb(new) ->> tg_argv[0]) then
          insert into lc_dataplane_changes (tbl, key) values (tg_table_name, to_jsonb(old) ->> tg_argv[0]);
        end if;
      end if;
      if noted % 1000 = 0 then
        with gone as (delete from lc_dataplane_changes where at < now() - interval '10 minutes' returning seq)
          select max(seq) into pruned from gone;
        if pruned is not null then
          insert into lc_settings (key, value) values ('dataplane_changes_pruned_through', pruned::text)
            on conflict (key) do update set value = greatest(lc_settings.value::bigint, excluded.value::bigint)::text;
        end if;
      end if;
      return null;
    end
    $$`,
    )
    .execute(db);
  for (const [table, noteKey] of NOTED_TABLES) {
    await sql.raw(`drop trigger if exists ${table}_dataplane_change on ${table}`).execute(db);
    await sql
      .raw(`create trigger ${table}_dataplane_change after insert or update or delete on ${table} for each row execute function lc_note_dataplane_change('${noteKey}')`)
      .execute(db);
  }
}
