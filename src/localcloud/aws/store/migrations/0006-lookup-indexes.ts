import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * Indexes for the lookups that read every row of their table without them, whatever the number of
 * accounts: the listeners forwarding to a target group (DescribeTargetGroups, CreateListener,
 * RegisterTargets, DeleteTargetGroup), an account's listeners in a region, and the connection
 * notifications on one VPC endpoint (every endpoint's state change looks them up).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create index if not exists lc_listeners_target_group on lc_listeners (target_group_arn);
    create index if not exists lc_listeners_owner on lc_listeners (account_id, region);
    create index if not exists lc_connection_notifications_endpoint on lc_connection_notifications (vpc_endpoint_id);
  `,
  );
}
