import type { Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import { EMULATOR_LOCK_KEYS, inEmulatorTransaction } from '../../common/emulator-lock.js';
import { GcpControlRepository } from './control.repository.js';
import { OperationsRepository } from './operations.repository.js';
import { ResourcesRepository } from './resources.repository.js';
import type { GcpExecutor, GcpSchema } from './schema.js';

/** Every repository of the GCP emulation, bound to one executor (usually a transaction). */
export interface GcpRepositories {
  readonly control: GcpControlRepository;
  readonly resources: ResourcesRepository;
  readonly operations: OperationsRepository;
}

/** Binds the repositories to `db`. Cheap: call once per transaction. */
export function gcpRepositories(db: GcpExecutor): GcpRepositories {
  return { control: new GcpControlRepository(db), resources: new ResourcesRepository(db), operations: new OperationsRepository(db) };
}

/**
 * Runs `work` in one transaction of the store under the GCP emulation's lock (inEmulatorTransaction):
 * every Compute request runs under it, so processes sharing one PostgreSQL never interleave (IP
 * allocation, PSC connection ids, request ids).
 */
export function inGcpTransaction<T>(store: Store, work: (trx: Transaction<GcpSchema>) => Promise<T>): Promise<T> {
  return inEmulatorTransaction(store, EMULATOR_LOCK_KEYS.GCP, (raw) => work(raw as unknown as Transaction<GcpSchema>));
}
