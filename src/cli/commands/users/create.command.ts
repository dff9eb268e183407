import { CliError, FlagError } from '../../framework/cli-errors.js';
import type { CommandContext } from '../../framework/command-context.js';
import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from '../admin/admin-store.js';
import { consoleUserWire, USERS_ORG_FLAG } from './wire.js';

const TEMPLATE = 'Console user {{.Username}} created: sign in to the web console with this email and the password.\n';

/**
 * `privlink users create --email <email> --org-role <role>... [--project-role <role>@<projectId>...]
 * [--password-stdin]`: adds a console user to the store (on the machine that holds it, no API key
 * needed). The password is read from stdin with `--password-stdin`, else asked twice on a
 * terminal; it never appears on the command line.
 */
export const userCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a console user who signs in to the web console with email and password.',
  description:
    'The user acts in the console with the roles given here, exactly as an API key with these roles would. ' +
    'Passwords have at least 12 characters. Without --password-stdin you are asked for the password on a terminal.',
  flags: [
    { syntax: '--email <email>', description: 'Email address the user signs in with (not case-sensitive; unique in the store).', required: true },
    {
      syntax: '--org-role <role...>',
      description: 'Organization roles: ORG_OWNER, ORG_MEMBER, ORG_READ_ONLY, ORG_GROUP_CREATOR, ORG_BILLING_ADMIN (repeat or separate with commas).',
      required: true,
    },
    { syntax: '--project-role <role...>', description: 'Project roles as ROLE@<projectId>: GROUP_OWNER, GROUP_CLUSTER_MANAGER, GROUP_READ_ONLY (repeat or separate with commas).' },
    { syntax: '--password-stdin', description: 'Read the password from standard input (its first line).' },
    USERS_ORG_FLAG,
    DATA_DIR_FLAG,
    OUTPUT_FLAG,
  ],
  examples: [
    'privlink users create --email ada@example.com --org-role ORG_OWNER',
    'printf \'%s\\n\' "$PASSWORD" | privlink users create --email ops@example.com --org-role ORG_MEMBER --project-role GROUP_READ_ONLY@5e2211c17a3e5a48f5497de3 --password-stdin',
  ],
  async run(ctx) {
    ctx.outputFormat();
    const { parseConsoleUserInput, createConsoleUserAsOperator } = await import('../../../app/console-users.service.js');
    const { ApiError } = await import('../../../domain/errors.js');
    const password = await readPassword(ctx);
    const projectRoles = ctx.list('projectRole').map((text) => {
      const [roleName, groupId] = text.split('@');
      if (!roleName || !groupId) throw new FlagError(`invalid argument "${text}" for "--project-role" flag: expected ROLE@<projectId>`);
      return { groupId, roleName };
    });
    const orgId = ctx.flag('orgId');
    const created = await withAdminStore(ctx, async (app) => {
      try {
        // The organization is checked by the use case; the parser only needs a name for `roles.orgId`.
        const input = parseConsoleUserInput(
          { username: ctx.flag('email'), password, roles: [...ctx.list('orgRole').map((roleName) => ({ roleName })), ...projectRoles] },
          orgId ?? '',
        );
        return await createConsoleUserAsOperator(app, orgId, input);
      } catch (error) {
        if (error instanceof ApiError) throw new CliError(error.detail);
        throw error;
      }
    });
    ctx.print(consoleUserWire(created), TEMPLATE);
  },
});

/** The password: stdin's first line with `--password-stdin`, else asked twice on a terminal. */
async function readPassword(ctx: CommandContext): Promise<string> {
  if (ctx.bool('passwordStdin')) {
    const input = await readAll(ctx.io.stdin);
    const line = input.split(/\r?\n/)[0] ?? '';
    if (line === '') throw new FlagError('--password-stdin: standard input holds no password');
    return line;
  }
  if (!ctx.io.stdinIsTerminal) throw new FlagError('no password: pass it on standard input with --password-stdin');
  const prompter = ctx.prompter();
  const first = await prompter.ask('Password:', { hidden: true });
  const again = await prompter.ask('Password (again):', { hidden: true });
  if (first !== again) throw new CliError('the two passwords differ');
  return first;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
