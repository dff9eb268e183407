import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * How many endpoint services each provider account holds in each region, kept beside the
 * placements themselves (`provider_placement_counts`): placing a service reads one row per account
 * instead of counting every placement of its region, under the pool's lock. A row-level trigger
 * on `provider_placements` moves the count on every insert, update and delete, the deletes that
 * cascade from an endpoint service's row included, whoever writes it; the counts already due are
 * filled in from the placements there are when this migration runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists provider_placement_counts (
      account_id char(24) not null references provider_accounts(id) on delete cascade,
      region_name text not null,
      provider text not null,
      placements integer not null,
      primary key (account_id, region_name)
    );
    create index if not exists provider_placement_counts_region on provider_placement_counts (provider, region_name);
    insert into provider_placement_counts (account_id, region_name, provider, placements)
      select account_id, region_name, min(provider), count(*) from provider_placements group by account_id, region_name
      on conflict (account_id, region_name) do update set placements = excluded.placements;
  `,
  );
  // One statement (its body holds semicolons at the ends of lines).
  await sql
    .raw(
      `
    create or replace function count_provider_placement() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        update provider_placement_counts set placements = placements - 1
          where account_id = old.account_id and region_name = old.region_name;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into provider_placement_counts (account_id, region_name, provider, placements)
          values (new.account_id, new.region_name, new.provider, 1)
          on conflict (account_id, region_name) do update set placements = provider_placement_counts.placements + 1;
      end if;
      return null;
    end
    $$`,
    )
    .execute(db);
  await runStatements(
    db,
    `
    drop trigger if exists provider_placements_counted on provider_placements;
    create trigger provider_placements_counted after insert or update or delete on provider_placements
      for each row execute function count_provider_placement();
  `,
  );
}
