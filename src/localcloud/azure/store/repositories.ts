import type { Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import { EMULATOR_LOCK_KEYS, inEmulatorTransaction, type CommitNotice } from '../../common/emulator-lock.js';
import { AzureControlRepository } from './control.repository.js';
import { OperationsRepository } from './operations.repository.js';
import { ResourceGroupsRepository } from './resource-groups.repository.js';
import { ResourcesRepository } from './resources.repository.js';
import type { AzureExecutor, AzureSchema } from './schema.js';

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

/**
 * Runs `work` in one transaction of the store under the Azure emulation's lock
 * (inEmulatorTransaction): every ARM request runs under it, so processes sharing one PostgreSQL
 * never interleave (IP allocation, operations in progress, lazy transitions). With `notice`, the
 * notification goes out when (and only if) the transaction commits.
 */
export function inAzureTransaction<T>(store: Store, work: (trx: Transaction<AzureSchema>) => Promise<T>, notice?: CommitNotice): Promise<T> {
  return inEmulatorTransaction(store, EMULATOR_LOCK_KEYS.AZURE, (raw) => work(raw as unknown as Transaction<AzureSchema>), notice);
}
