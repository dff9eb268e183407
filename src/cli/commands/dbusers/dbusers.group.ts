import { defineGroup } from '../../framework/command-spec.js';
import { dbUserCreateCommand } from './create.command.js';
import { dbUserDeleteCommand } from './delete.command.js';
import { dbUserDescribeCommand } from './describe.command.js';
import { dbUserListCommand } from './list.command.js';

/** `privlink dbusers …` (alias `dbuser`, `databaseUsers`): the Atlas CLI's `atlas dbusers` create, list, describe and delete. */
export const dbUsersGroup = defineGroup({
  name: 'dbusers',
  aliases: ['dbuser', 'databaseUsers'],
  summary: 'Manage database users for your project.',
  description:
    'The dbusers command retrieves, creates and deletes the MongoDB database users of your project. Passwords are never shown or stored: privlink keeps only SCRAM credentials.',
  commands: [dbUserCreateCommand, dbUserDeleteCommand, dbUserDescribeCommand, dbUserListCommand],
});
