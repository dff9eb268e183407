import type { ConsoleUserWire } from '../../../api/atlas/wire/console-users.wire.js';
import { CliError } from '../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from '../admin/admin-store.js';
import { consoleUserWire, rolesText, USERS_ORG_FLAG } from './wire.js';

/** One row per user (tab-separated; aligned on a terminal). */
function table(body: unknown): string {
  const rows = ['ID\tEMAIL\tROLES\tCREATED'];
  for (const user of (body as { results: ConsoleUserWire[] }).results) rows.push([user.id, user.username, rolesText(user), user.created].join('\t'));
  return `${rows.join('\n')}\n`;
}

/** `privlink users list`: the organization's console users, oldest first (passwords never shown). */
export const userListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: "List the organization's console users.",
  flags: [USERS_ORG_FLAG, DATA_DIR_FLAG, OUTPUT_FLAG],
  examples: ['privlink users list', 'privlink users list -o json'],
  async run(ctx) {
    ctx.outputFormat();
    const { listConsoleUsers } = await import('../../../app/console-users.service.js');
    const { ApiError } = await import('../../../domain/errors.js');
    const users = await withAdminStore(ctx, async (app) => {
      try {
        return (await listConsoleUsers(app, null, ctx.flag('orgId'))).map(consoleUserWire);
      } catch (error) {
        if (error instanceof ApiError) throw new CliError(error.detail);
        throw error;
      }
    });
    ctx.print({ results: users, totalCount: users.length }, table);
  },
});
