import type { Kysely } from 'kysely';

/**
 * Released in an earlier version, when the local cloud's tables were created in the product's
 * chain. They now belong to the local cloud's own migrations (`localcloud/aws/store/migrations`,
 * tracked in `lc_migration`), which a deployment against real AWS never runs and which adopt the
 * tables this migration made in older stores. Kept, empty, so that stores which ran it still
 * match the chain (migrations are forward-only and never removed).
 */
export async function up(_db: Kysely<any>): Promise<void> {}
