import type { CommandContext } from './command-context.js';

/**
 * Declarative description of one CLI command, one per file under `commands/` (the GitHub/Atlas
 * CLI layout: options, output template, run and build together). `build-command.ts` turns it
 * into a commander command with cobra's behaviour: args checked first, then required flags, then
 * `run`.
 */
export interface FlagSpec {
  /** Commander syntax: `--region <region>`, `-o, --output <format>`, `--force`, `--role <role...>`. */
  readonly syntax: string;
  readonly description: string;
  /** Checked after the arguments: `Error: required flag(s) "region" not set`. */
  readonly required?: boolean;
  readonly defaultValue?: string | boolean | readonly string[];
  readonly hidden?: boolean;
}

export interface ArgSpec {
  readonly name: string;
  readonly description: string;
  /** Trailing optional arguments; all others are required (cobra's ExactArgs). */
  readonly optional?: boolean;
  /** Returns an error message for a bad value (e.g. not an ObjectID). */
  readonly validate?: (value: string) => string | undefined;
}

export interface LeafSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line, shown in the parent's command list. */
  readonly summary: string;
  /** Extra paragraphs shown under the summary in `--help` (required role, behaviour). */
  readonly description?: string;
  readonly args?: readonly ArgSpec[];
  readonly flags?: readonly FlagSpec[];
  /** Example blocks: `# what it does` line(s), then the command line(s). */
  readonly examples?: readonly string[];
  readonly hidden?: boolean;
  /** Accepts any number of arguments (no count check), e.g. `help [topic...]`. */
  readonly variadic?: boolean;
  run(ctx: CommandContext, args: readonly string[]): Promise<void>;
}

export interface GroupSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly examples?: readonly string[];
  readonly hidden?: boolean;
  readonly commands: readonly CommandSpec[];
}

export type CommandSpec = LeafSpec | GroupSpec;

export function isGroup(spec: CommandSpec): spec is GroupSpec {
  return 'commands' in spec;
}

/** Identity helpers that keep literal types and read well at the top of a command file. */
export const defineCommand = (spec: LeafSpec): LeafSpec => spec;
export const defineGroup = (spec: GroupSpec): GroupSpec => spec;

// Shared flags, worded as the Atlas CLI words them.
export const PROJECT_ID_FLAG: FlagSpec = {
  syntax: '--projectId <projectId>',
  description: 'Hexadecimal string that identifies the project to use. This option overrides the settings in the configuration file or environment variable.',
};
export const ORG_ID_FLAG: FlagSpec = {
  syntax: '--orgId <orgId>',
  description: 'Organization ID to use. This option overrides the settings in the configuration file or environment variable.',
};
export const OUTPUT_FLAG: FlagSpec = {
  syntax: '-o, --output <format>',
  description: 'Output format. Valid values are json, json-path, go-template, or go-template-file. To see the full output, use the -o json option.',
};
export const FORCE_FLAG: FlagSpec = {
  syntax: '--force',
  description: 'Flag that indicates whether to skip the confirmation prompt before proceeding with the requested action.',
};
export const WATCH_INTERVAL_FLAG: FlagSpec = {
  syntax: '--interval <duration>',
  description: 'Time between two polls, as a Go duration (4s, 500ms) or seconds.',
  defaultValue: '4s',
};

/** `Unique 24-character alphanumeric string …`: the Atlas CLI's check of ObjectID arguments. */
export function objectIdArg(value: string): string | undefined {
  return /^[0-9a-fA-F]{24}$/.test(value) ? undefined : `the provided value '${value}' is not a valid Id`;
}

/** Atlas's `cli.GenerateAliases`: lower-case, kebab-case and singular forms of a name. */
export function generateAliases(name: string, ...extra: string[]): string[] {
  const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const forms = [name.toLowerCase(), kebab];
  if (name.endsWith('s')) {
    const singular = name.slice(0, -1);
    forms.push(singular, singular.toLowerCase(), kebab.slice(0, -1));
  }
  return [...new Set([...forms, ...extra])].filter((alias) => alias !== name);
}
