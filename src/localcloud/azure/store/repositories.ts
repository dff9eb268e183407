import { sql } from 'kysely';
import { AzureControlRepository } from './control.repository.js';
import { OperationsRepository } from './operations.repository.js';
import { ResourceGroupsRepository } from './resource-groups.repository.js';
import { ResourcesRepository } from './resources.repository.js';
import type { AzureExecutor } from './schema.js';

/** Every repository of the Azure emulation, bound to one executor (usually a transaction). */
export interface AzureRepositories {
  readonly control: AzureControlRepository;
  readonly groups: ResourceGroupsRepository;
  readonly resources: ResourcesRepository;
  readonly operations: OperationsRepository;
}

/** Binds the repositories to `db`. Cheap: call once per transaction. */
export function azureRepositories(db: AzureExecutor): AzureRepositories {
  return {
    control: new AzureControlRepository(db),
    groups: new ResourceGroupsRepository(db),
    resources: new ResourcesRepository(db),
    operations: new OperationsRepository(db),
  };
}

/** Advisory lock key of the Azure emulation (the AWS emulation uses another). */
const LOCK_KEY = 7_311_002;

/**
 * Takes the Azure emulation's transaction-scoped advisory lock: every ARM request runs under it,
 * so processes sharing one PostgreSQL never interleave (IP allocation, operations in progress,
 * lazy transitions). Released at commit or rollback. Call first in a transaction.
 */
export async function takeAzureLock(trx: AzureExecutor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
}
