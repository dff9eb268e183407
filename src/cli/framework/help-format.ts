import type { Command, Option } from 'commander';
import { isGroup, type CommandSpec } from './command-spec.js';

/**
 * `--help` text in the layout of cobra (the Atlas CLI's framework): description, Usage, Aliases,
 * Arguments, Examples, Available Commands, Flags, Global Flags. Written to stdout.
 */
export function formatHelp(command: Command, spec: CommandSpec): string {
  const path = commandPath(command);
  const sections: string[] = [];
  sections.push(spec.description ? `${spec.summary}\n\n${spec.description.trimEnd()}` : spec.summary);

  const usage: string[] = [];
  if (isGroup(spec)) usage.push(`  ${path} [command]`);
  else usage.push(`  ${useLine(command, spec)}`);
  sections.push(`Usage:\n${usage.join('\n')}`);

  if (spec.aliases && spec.aliases.length > 0) sections.push(`Aliases:\n  ${[spec.name, ...spec.aliases].join(', ')}`);

  if (!isGroup(spec) && spec.args && spec.args.length > 0) {
    const width = Math.max(...spec.args.map((a) => a.name.length));
    sections.push(`Arguments:\n${spec.args.map((a) => `  ${a.name.padEnd(width)}   ${a.optional ? '(optional) ' : ''}${a.description}`).join('\n')}`);
  }

  if (spec.examples && spec.examples.length > 0) {
    // Blocks with a `# comment` line are separated by a blank line; bare command lines are not.
    const separator = spec.examples.some((block) => block.startsWith('#')) ? '\n\n' : '\n';
    sections.push(
      `Examples:\n${spec.examples
        .map((block) =>
          block
            .split('\n')
            .map((line) => `  ${line}`)
            .join('\n'),
        )
        .join(separator)}`,
    );
  }

  if (isGroup(spec)) {
    const visible = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
    const padding = Math.max(11, ...visible.map((c) => c.name().length));
    sections.push(`Available Commands:\n${visible.map((c) => `  ${c.name().padEnd(padding)} ${c.summary()}`).join('\n')}`);
  }

  const local = command.options.filter((o) => !o.hidden);
  const help = (command as Command & { _getHelpOption(): Option | null })._getHelpOption();
  const flags = [...local, ...(help ? [help] : [])].sort((a, b) => (flagName(a) < flagName(b) ? -1 : flagName(a) > flagName(b) ? 1 : 0));
  sections.push(`Flags:\n${flagUsages(flags, command.name())}`);

  const globals: Option[] = [];
  // Only persistent flags are inherited (-P/--profile); --version belongs to the root alone.
  for (let parent = command.parent; parent; parent = parent.parent) globals.push(...parent.options.filter((o) => !o.hidden && o.long !== '--version'));
  if (globals.length > 0) sections.push(`Global Flags:\n${flagUsages(globals, command.name())}`);

  if (isGroup(spec)) sections.push(`Use "${path} [command] --help" for more information about a command.`);
  return `${sections.join('\n\n')}\n`;
}

/** `privlink privateEndpoints aws describe` */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** `privlink privateEndpoints aws describe <privateEndpointId> [options]` */
export function useLine(command: Command, spec: CommandSpec): string {
  const args = isGroup(spec) ? [] : (spec.args ?? []).map((a) => (a.optional ? `[${a.name}]` : `<${a.name}>`));
  return [commandPath(command), ...args, '[options]'].join(' ');
}

function flagName(option: Option): string {
  return (option.long ?? option.short ?? '').replace(/^-+/, '');
}

/** pflag's FlagUsages: `  -o, --output string   usage (default "x")`, columns aligned. */
function flagUsages(options: readonly Option[], commandName: string): string {
  const rows = options.map((option) => {
    let prefix = option.short ? `  ${option.short}, ${option.long ?? ''}` : `      ${option.long ?? ''}`;
    if (option.required || option.optional) prefix += option.variadic ? ' strings' : ' string';
    let usage = option.long === '--help' ? `help for ${commandName}` : option.description;
    const defaultValue: unknown = option.defaultValue;
    if (typeof defaultValue === 'string' && defaultValue !== '') usage += ` (default "${defaultValue}")`;
    else if (Array.isArray(defaultValue) && defaultValue.length > 0) usage += ` (default [${defaultValue.join(',')}])`;
    return { prefix, usage };
  });
  const width = Math.max(...rows.map((r) => r.prefix.length));
  return rows.map((r) => `${r.prefix}${' '.repeat(width - r.prefix.length + 3)}${r.usage}`).join('\n');
}
