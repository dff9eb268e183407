import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * Indexes for the questions asked of `lc_azure_operations` on every request that may find
 * something due or change the cloud: the first running operation's end, the operations still
 * running on a resource (AnotherOperationInProgress), and the oldest operation (forgotten after
 * its retention). Running operations are few, so those two indexes are partial.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create index lc_azure_operations_running_due on lc_azure_operations (due_at) where status = 'InProgress';
    create index lc_azure_operations_running_on on lc_azure_operations (resource_key) where status = 'InProgress';
    create index lc_azure_operations_created on lc_azure_operations (created_at)
    `,
  );
}
