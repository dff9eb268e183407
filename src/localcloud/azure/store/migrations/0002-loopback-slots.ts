import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * Stable loopback slots of the Azure emulation's virtual networks: slot n of the Azure loopback
 * range (common/loopback.ts) puts the VNet's addresses on `127.<base + n>.x.y`. Kept per VNet
 * (`vnet_key`: the lower-cased resource id) so addresses survive restarts and are the same for
 * every process on one PostgreSQL; a slot is unique, so two VNets never share an octet.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table lc_azure_loopback_slots (
      vnet_key text primary key,
      slot integer not null unique
    )
    `,
  );
}
