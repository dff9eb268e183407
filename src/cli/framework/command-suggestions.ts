import type { Command, Option } from 'commander';
import { FlagError } from './cli-errors.js';
import { commandPath } from './help-format.js';

/** Edit distance up to which a command name is suggested for a typo (cobra's default). */
const SUGGESTION_DISTANCE = 2;

/**
 * The subcommands of `command` that `typed` may have meant, as cobra chooses them: visible
 * commands (not `help`) whose name is within edit distance 2 of it, or starts with it, ignoring
 * case. Aliases are not suggested: only canonical names.
 */
function suggestionsFor(command: Command, typed: string): string[] {
  const lower = typed.toLowerCase();
  return command.commands
    .filter((c) => !isHidden(c) && c.name() !== 'help')
    .map((c) => c.name())
    .filter((name) => levenshtein(lower, name.toLowerCase()) <= SUGGESTION_DISTANCE || name.toLowerCase().startsWith(lower));
}

/** cobra's unknown-command error: `unknown command "x" for "privlink …"`, suggestions, the help hint. */
export function unknownCommandError(command: Command, typed: string): FlagError {
  const path = commandPath(command);
  const suggestions = suggestionsFor(command, typed);
  const didYouMean = suggestions.length > 0 ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '';
  return new FlagError(`unknown command "${typed}" for "${path}"${didYouMean}\nRun '${path} --help' for usage.`);
}

/**
 * Finds the first word of `argv` that names no subcommand of the group it follows, before flags are
 * parsed, so `privlink frobnicate -o json` reports the unknown command rather than the flag. Flags
 * are skipped as cobra skips them: a flag that takes a value (or one no command declares) without
 * `=` also skips the next word. Stops at the first leaf command or at `--`.
 */
export function findUnknownCommand(root: Command, argv: readonly string[]): FlagError | undefined {
  let command = root;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (word.startsWith('-') && word !== '-') {
      const attached = word.includes('=') || (!word.startsWith('--') && word.length > 2);
      if (!attached && takesValue(command, word)) i++;
      continue;
    }
    if (command.commands.length === 0) return undefined;
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return unknownCommandError(command, word);
    command = next;
  }
  return undefined;
}

function takesValue(command: Command, flag: string): boolean {
  const options: Option[] = [];
  for (let c: Command | null = command; c; c = c.parent) options.push(...c.options);
  const option = options.find((o) => o.long === flag || o.short === flag);
  if (!option) return !['-h', '--help', '-v', '--version'].includes(flag);
  return option.required || option.optional;
}

function isHidden(command: Command): boolean {
  return Boolean((command as Command & { _hidden?: boolean })._hidden);
}

/** Levenshtein distance between two strings. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
