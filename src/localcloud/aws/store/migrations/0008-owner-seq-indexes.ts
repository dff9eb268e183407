import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * Indexes on (account, region, seq) for the listings read a page at a time (DescribeVpcEndpoints,
 * DescribeVpcEndpointServiceConfigurations, DescribeLoadBalancers, DescribeTargetGroups): a page
 * after a token is an index range, not the account's every row. They replace the (account,
 * region) indexes of endpoint services and VPC endpoints, which they cover.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create index if not exists lc_vpc_endpoints_owner_seq on lc_vpc_endpoints (account_id, region, seq);
    drop index if exists lc_vpc_endpoints_owner;
    create index if not exists lc_endpoint_services_owner_seq on lc_endpoint_services (account_id, region, seq);
    drop index if exists lc_endpoint_services_owner;
    create index if not exists lc_load_balancers_owner_seq on lc_load_balancers (account_id, region, seq);
    create index if not exists lc_target_groups_owner_seq on lc_target_groups (account_id, region, seq);
  `,
  );
}
