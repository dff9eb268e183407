import { defineGroup } from '../../framework/command-spec.js';
import { userCreateCommand } from './create.command.js';
import { userListCommand } from './list.command.js';

/** `privlink users …`: console users, managed on the machine that holds the store (no API key needed). */
export const usersGroup = defineGroup({
  name: 'users',
  summary: 'Manage console users: people who sign in to the web console with email and password.',
  description:
    'These commands open the store themselves, as the admin commands do: the embedded data directory (--data-dir) while no server runs on it, or the PostgreSQL database of DATABASE_URL. ' +
    'While a server runs on an embedded data directory, an Organization Owner manages users in the console or with the Admin API (/api/atlas/v2/orgs/{orgId}/privlink/consoleUsers).',
  commands: [userCreateCommand, userListCommand],
});
