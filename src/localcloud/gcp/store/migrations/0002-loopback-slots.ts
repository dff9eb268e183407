import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * Stable loopback slots of the Compute Engine emulation's subnetworks: slot n of the GCP loopback
 * range (common/loopback.ts) puts the subnetwork's addresses on `127.<base + n>.x.y`. A VPC
 * network has no address range of its own (its subnetworks may lie anywhere), so the slot belongs
 * to each subnetwork (`subnet_key`: its resource path). Kept so addresses survive restarts and
 * are the same for every process on one PostgreSQL; a slot is unique, so two subnetworks never
 * share an octet.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table lc_gcp_loopback_slots (
      subnet_key text primary key,
      slot integer not null unique
    )
    `,
  );
}
