import { Command, Option } from 'commander';
import { FlagError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { CommandContext } from './command-context.js';
import { unknownCommandError } from './command-suggestions.js';
import { isGroup, type CommandSpec, type GroupSpec, type LeafSpec } from './command-spec.js';
import { commandPath, formatHelp, useLine } from './help-format.js';

/** The spec each commander command was built from (for help and completion). */
export const SPECS = new WeakMap<Command, CommandSpec>();

/** Adds `spec` (and, for a group, its subtree) under `parent`. */
export function mountCommand(parent: Command, spec: CommandSpec, io: CliIo): Command {
  // `command()` copies the parent's settings (output, exitOverride, help configuration).
  const command = parent.command(spec.name, { hidden: spec.hidden ?? false });
  SPECS.set(command, spec);
  command.summary(spec.summary).description(spec.summary);
  if (spec.aliases) command.aliases([...spec.aliases]);
  command.configureHelp({ formatHelp: (cmd) => formatHelp(cmd, SPECS.get(cmd)!) });
  command.helpOption('-h, --help', `help for ${spec.name}`);
  // Arguments are counted and reported by us (Atlas wording), not by commander.
  command.allowExcessArguments(true);
  if (isGroup(spec)) mountGroup(command, spec, io);
  else mountLeaf(command, spec, io);
  return command;
}

function mountGroup(command: Command, spec: GroupSpec, io: CliIo): void {
  for (const child of spec.commands) mountCommand(command, child, io);
  // Reached only when no known subcommand follows: help for none, cobra's error for a typo.
  command.action(() => {
    const [first] = command.args;
    if (first === undefined) {
      io.stdout.write(command.helpInformation());
      return;
    }
    throw unknownCommandError(command, first);
  });
}

function mountLeaf(command: Command, spec: LeafSpec, io: CliIo): void {
  for (const flag of spec.flags ?? []) {
    const option = new Option(flag.syntax, flag.description);
    if (flag.defaultValue !== undefined) option.default(flag.defaultValue);
    if (flag.hidden) option.hideHelp();
    command.addOption(option);
  }
  command.action(async () => {
    const args = command.args;
    checkArguments(command, spec, args);
    const flags = command.opts();
    const missing = (spec.flags ?? [])
      .filter((flag) => flag.required)
      .map((flag) => new Option(flag.syntax, '').attributeName())
      .filter((name) => flags[name] === undefined || flags[name] === '' || (Array.isArray(flags[name]) && (flags[name] as unknown[]).length === 0))
      .sort();
    if (missing.length > 0) throw new FlagError(`required flag(s) ${missing.map((m) => `"${m}"`).join(', ')} not set`);
    const globals = command.optsWithGlobals() as { profile?: string };
    const ctx = new CommandContext(io, commandPath(command), flags, { profile: globals.profile });
    try {
      await spec.run(ctx, args);
    } finally {
      ctx.close();
    }
  });
}

/** cobra/Atlas argument checks: ExactArgs / MaximumNArgs / NoArgs, then per-argument validation. */
function checkArguments(command: Command, spec: LeafSpec, args: readonly string[]): void {
  if (spec.variadic) return;
  const declared = spec.args ?? [];
  const required = declared.filter((a) => !a.optional).length;
  const path = JSON.stringify(commandPath(command));
  const usage = `\n\nUsage:  ${useLine(command, spec)}`;
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  if (declared.length === 0 && args.length > 0) throw new FlagError(`${path} accepts no arguments${usage}`);
  if (required === declared.length && args.length !== required) {
    throw new FlagError(`${path} requires ${required} ${plural(required)}, received ${args.length}${usage}`);
  }
  if (args.length < required) throw new FlagError(`${path} requires at least ${required} ${plural(required)}, received ${args.length}${usage}`);
  if (args.length > declared.length) throw new FlagError(`${path} accepts at most ${declared.length} ${plural(declared.length)}, received ${args.length}${usage}`);
  declared.forEach((arg, i) => {
    const value = args[i];
    const problem = value === undefined ? undefined : arg.validate?.(value);
    if (problem) throw new FlagError(problem);
  });
}
