import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The provider account pool holds Azure subscriptions and GCP projects besides AWS accounts:
 * an Azure subscription with its service principal (tenant, client id, client secret), a GCP
 * project with a service account's JSON key. Secrets are stored like the AWS secret access key
 * and never shown. Account names stay unique per provider (the API also refuses a name another
 * provider uses, so a name alone finds an account).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table provider_accounts add column subscription_id text;
    alter table provider_accounts add column tenant_id text;
    alter table provider_accounts add column client_id text;
    alter table provider_accounts add column client_secret text;
    alter table provider_accounts add column project_id text;
    alter table provider_accounts add column service_account_key text;
  `,
  );
}
