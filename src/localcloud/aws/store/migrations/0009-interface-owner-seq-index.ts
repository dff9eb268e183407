import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * An index on (account, region, seq) for DescribeNetworkInterfaces, read a page at a time like the
 * listings of migration 0008: a page after a token is an index range, not every interface of every
 * account.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create index if not exists lc_network_interfaces_owner_seq on lc_network_interfaces (account_id, region, seq);
  `,
  );
}
