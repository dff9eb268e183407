import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Per-provider detail next to the common columns (typed JSON, see `ServiceDetail` and
 * `EndpointDetail` in the domain): Azure's private link service resource id and a private
 * endpoint's registered IP and connection name; GCP's service attachments and endpoint groups.
 * Rows written before this migration are AWS rows and read as `{"cloud":"AWS"}`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table endpoint_services add column provider_detail jsonb not null default '{}'::jsonb;
    alter table interface_endpoints add column provider_detail jsonb not null default '{}'::jsonb;
  `,
  );
}
