import type { Kysely } from 'kysely';
import { migrateEmulator, type EmulatorMigrations } from '../../../common/emulator-migrations.js';
import * as awsEmulation from './0001-aws-emulation.js';
import * as serviceQuotas from './0002-service-quotas.js';
import * as vpcPeering from './0003-vpc-peering.js';
import * as connectionNotifications from './0004-connection-notifications.js';
import * as dataPlaneChanges from './0005-data-plane-changes.js';
import * as lookupIndexes from './0006-lookup-indexes.js';
import * as loadBalancerUseIndex from './0007-load-balancer-use-index.js';
import * as ownerSeqIndexes from './0008-owner-seq-indexes.js';
import * as interfaceOwnerSeqIndex from './0009-interface-owner-seq-index.js';

/**
 * The AWS emulation's own migrations: tracked in `lc_migration` (lock `lc_migration_lock`), the
 * names the first local cloud used, so existing data directories keep working.
 */
export const AWS_EMULATOR_MIGRATIONS: EmulatorMigrations = {
  label: 'Local cloud',
  migrations: {
    '0001-aws-emulation': awsEmulation,
    '0002-service-quotas': serviceQuotas,
    '0003-vpc-peering': vpcPeering,
    '0004-connection-notifications': connectionNotifications,
    '0005-data-plane-changes': dataPlaneChanges,
    '0006-lookup-indexes': lookupIndexes,
    '0007-load-balancer-use-index': loadBalancerUseIndex,
    '0008-owner-seq-indexes': ownerSeqIndexes,
    '0009-interface-owner-seq-index': interfaceOwnerSeqIndex,
  },
  migrationTableName: 'lc_migration',
  migrationLockTableName: 'lc_migration_lock',
};

/** Brings the AWS emulation's tables to the newest migration (see migrateEmulator). */
export async function migrateLocalCloud<DB>(db: Kysely<DB>): Promise<void> {
  await migrateEmulator(db, AWS_EMULATOR_MIGRATIONS);
}
