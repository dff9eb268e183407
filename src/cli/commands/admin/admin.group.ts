import { defineGroup } from '../../framework/command-spec.js';
import { backupCommand } from './backup.command.js';
import { capacityCommand } from './capacity.command.js';
import { providerAccountsGroup } from './provider-accounts/provider-accounts.group.js';
import { resetBootstrapKeyCommand } from './reset-bootstrap-key.command.js';
import { restoreCommand } from './restore.command.js';

/** `privlink admin …`: maintenance of a privlink store, run on the machine that holds it (no API key needed). */
export const adminGroup = defineGroup({
  name: 'admin',
  summary: 'Maintain the privlink store directly (no API key needed).',
  description:
    'These commands open the store themselves: the embedded data directory (--data-dir) while no server runs on it, or the PostgreSQL database of DATABASE_URL. ' +
    'backup works while a server runs (it asks the server for the copy).',
  commands: [resetBootstrapKeyCommand, providerAccountsGroup, capacityCommand, backupCommand, restoreCommand],
});
