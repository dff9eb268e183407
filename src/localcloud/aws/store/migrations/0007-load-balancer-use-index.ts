import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * A GIN index on the load balancers an endpoint service uses: "is this load balancer behind a
 * service?" (CreateVpcEndpointServiceConfiguration, DeleteLoadBalancer) is asked with `@>` and
 * answered from the index instead of by reading every service of the account.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create index if not exists lc_endpoint_services_load_balancers on lc_endpoint_services using gin (load_balancer_arns);
  `,
  );
}
