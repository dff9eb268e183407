import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { adminGroup } from './commands/admin/admin.group.js';
import { clustersGroup } from './commands/clusters/clusters.group.js';
import { dbUsersGroup } from './commands/dbusers/dbusers.group.js';
import { completionCommand } from './commands/completion.command.js';
import { configGroup } from './commands/config/config.group.js';
import { dnsGroup } from './commands/dns/dns.group.js';
import { localcloudGroup } from './commands/localcloud/localcloud.group.js';
import { organizationsGroup } from './commands/organizations/organizations.group.js';
import { privateEndpointsGroup } from './commands/private-endpoints/private-endpoints.group.js';
import { projectsGroup } from './commands/projects/projects.group.js';
import { resetCommand } from './commands/reset.command.js';
import { migrateCommand } from './commands/migrate.command.js';
import { serveCommand } from './commands/serve.command.js';
import { serverlessGroup } from './commands/serverless/serverless.group.js';
import { appServicesGroup } from './commands/appservices/appservices.group.js';
import { usersGroup } from './commands/users/users.group.js';
import { webhooksGroup } from './commands/webhooks/webhooks.group.js';
import { mountCommand, SPECS } from './framework/build-command.js';
import { FlagError } from './framework/cli-errors.js';
import type { CliIo } from './framework/cli-io.js';
import { defineCommand, defineGroup, type CommandSpec } from './framework/command-spec.js';
import { unknownCommandError } from './framework/command-suggestions.js';
import { completionCandidates } from './framework/completion.js';
import { EXIT_CODES_HELP } from './framework/exit-codes.js';
import { formatHelp } from './framework/help-format.js';
import { configureRoot, runCli } from './framework/run-cli.js';
import { configFilePath, readConfigFile } from './config/profiles.js';
import { ENVIRONMENT_HELP } from './config/environment-help.js';

/**
 * The `privlink` command tree:
 *
 *   privlink serve · privlink reset · privlink admin reset-bootstrap-key
 *   privlink config {init|set|list|describe|delete}
 *   privlink privateEndpoints {aws|azure|gcp} {create|list|describe|delete|watch}
 *   privlink privateEndpoints {aws|azure|gcp} interfaces {create|describe|delete}
 *   privlink privateEndpoints regionalModes {describe|enable|disable}
 *   privlink privateEndpoints serverless {aws|azure} {create|list|describe|update|delete|watch}
 *   privlink projects {create|list|describe|delete} · privlink projects apiKeys assign
 *   privlink organizations list · privlink organizations apiKeys {create|list|delete}
 *   privlink clusters {create|list|describe|delete|watch}
 *   privlink dns hosts
 *   privlink serverless {create|list|describe|delete|watch}
 *   privlink dbusers {create|list|describe|delete}
 *   privlink webhooks {create|list|delete|deliveries}
 *   privlink users {create|list}
 *   privlink localcloud aws {describe-vpcs|describe-subnets|create-subnet|create-vpc-endpoint|describe-vpc-endpoints|delete-vpc-endpoints|describe-vpc-endpoint-services}
 *   privlink completion {bash|zsh|fish} · privlink help [exit-codes|environment|<command…>]
 */
const HELP_TOPICS: Record<string, string> = { 'exit-codes': EXIT_CODES_HELP, environment: ENVIRONMENT_HELP };

/**
 * Runs one command line. `privlink __complete <words…>` (the completion scripts' callback) is
 * answered here, before commander, because its words are raw: flags in them must not be parsed.
 */
export async function runPrivlink(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === '__complete') {
    let profiles: string[] = [];
    try {
      profiles = Object.keys(readConfigFile(configFilePath(io.env)).profiles);
    } catch {
      profiles = [];
    }
    const words = argv.length > 1 ? argv.slice(1) : [''];
    const candidates = completionCandidates(buildProgram(io), words, profiles);
    if (candidates.length > 0) io.stdout.write(`${candidates.join('\n')}\n`);
    return 0;
  }
  return runCli(argv, io, buildProgram);
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('privlink');
  configureRoot(program, io);
  program.option('-P, --profile <profile>', 'Name of the profile to use from your configuration file.');
  program.version(packageVersion(), '-v, --version', 'version for privlink');
  program.helpOption('-h, --help', 'help for privlink');
  program.allowExcessArguments(true);

  const helpCommand = defineCommand({
    name: 'help',
    summary: 'Help about any command, and the topics exit-codes and environment.',
    args: [{ name: 'topic', description: 'exit-codes, environment, or a command path (privateEndpoints aws create).', optional: true }],
    variadic: true,
    examples: ['privlink help exit-codes', 'privlink help environment', 'privlink help privateEndpoints aws create'],
    async run(ctx, words) {
      if (words.length === 1 && HELP_TOPICS[words[0]!]) {
        ctx.out(HELP_TOPICS[words[0]!]!);
        return;
      }
      let command = program;
      for (const word of words) {
        const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next) throw new FlagError(`unknown help topic "${words.join(' ')}": try privlink help, privlink help exit-codes or privlink help environment`);
        command = next;
      }
      ctx.out(formatHelp(command, SPECS.get(command)!));
    },
  });

  const commands: CommandSpec[] = [
    adminGroup,
    appServicesGroup,
    clustersGroup,
    completionCommand,
    configGroup,
    dbUsersGroup,
    dnsGroup,
    helpCommand,
    localcloudGroup,
    migrateCommand,
    organizationsGroup,
    privateEndpointsGroup,
    projectsGroup,
    resetCommand,
    serveCommand,
    serverlessGroup,
    usersGroup,
    webhooksGroup,
  ];
  const root = defineGroup({
    name: 'privlink',
    summary: 'privlink: self-hostable private endpoints, compatible with the MongoDB Atlas Admin API and CLI.',
    description:
      'Commands mirror `atlas privateEndpoints …`; profiles, environment variables (MONGODB_ATLAS_* too) and output formats work as in the Atlas CLI.\n' +
      'Data goes to stdout; progress, prompts and errors to stderr. See `privlink help exit-codes` and `privlink help environment`.',
    examples: [
      'privlink serve',
      'privlink config init',
      'privlink privateEndpoints aws create --region us-east-1',
      'privlink privateEndpoints aws watch <ID>',
      'privlink privateEndpoints aws describe <ID>',
    ],
    commands,
  });
  SPECS.set(program, root);
  program.summary(root.summary);
  program.configureHelp({ formatHelp: (cmd) => formatHelp(cmd, SPECS.get(cmd)!) });
  for (const spec of commands) mountCommand(program, spec, io);
  program.action(() => {
    const [first] = program.args;
    if (first === undefined) {
      io.stdout.write(program.helpInformation());
      return;
    }
    throw unknownCommandError(program, first);
  });
  return program;
}

function packageVersion(): string {
  try {
    // dist/src/cli/program.js → package.json at the repository root.
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
    return `privlink version ${(JSON.parse(text) as { version: string }).version}`;
  } catch {
    return 'privlink version unknown';
  }
}
