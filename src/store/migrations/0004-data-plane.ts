import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Port-per-node: the load-balancer port of every addressable target, allocated per
 * (project, provider, region) from 1024 up and never handed out twice while allocated; and the
 * `pl-<n>` index of each interface endpoint (its hostnames `pl-<n>-<region>.<suffix>.<domain>`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table port_allocations (
      project_id char(24) not null,
      provider text not null,
      region_name text not null,
      port integer not null,
      cluster_id char(24) not null,
      target_name text not null,
      primary key (project_id, provider, region_name, port),
      unique (cluster_id, target_name)
    );
    alter table interface_endpoints add column pl_index integer not null default 0;
    alter table interface_endpoints add column dns_names jsonb not null default '[]'::jsonb;
  `,
  );
}
