import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Where the local cloud's simulated nodes listen, published by the one process that runs them
 * so that every replica's reconciler can mark a cluster ready and point its endpoint service's
 * listeners at the nodes (one row per running node; the owner is a cluster).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists simulated_node_addresses (
      owner_id text not null,
      target_name text not null,
      host text not null,
      port integer not null,
      primary key (owner_id, target_name)
    );
  `,
  );
}
