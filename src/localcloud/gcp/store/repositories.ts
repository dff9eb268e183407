import { EMULATOR_LOCK_KEYS, takeEmulatorLock } from '../../common/emulator-lock.js';
import { GcpControlRepository } from './control.repository.js';
import { OperationsRepository } from './operations.repository.js';
import { ResourcesRepository } from './resources.repository.js';
import type { GcpExecutor } from './schema.js';

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
 * Takes the GCP emulation's transaction-scoped advisory lock: every Compute request runs under
 * it, so processes sharing one PostgreSQL never interleave (IP allocation, PSC connection ids,
 * request ids). Released at commit or rollback. Call first in a transaction.
 */
export async function takeGcpLock(trx: GcpExecutor): Promise<void> {
  await takeEmulatorLock(trx, EMULATOR_LOCK_KEYS.GCP);
}
