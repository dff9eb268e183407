import type { Command, Option } from 'commander';
import { SPECS } from './build-command.js';
import { isGroup } from './command-spec.js';

/**
 * Candidates for the word being completed. `words` are the words after the program name, the
 * last one being the (possibly empty) partial word. Subcommands complete to their canonical names
 * only, as cobra's do (aliases are accepted when typed, never offered), flags to their long forms, values of `-o/--output` to the formats and of
 * `-P/--profile` to `profiles`.
 */
export function completionCandidates(root: Command, words: readonly string[], profiles: readonly string[]): string[] {
  const partial = words[words.length - 1] ?? '';
  let command = root;
  const optionsOf = (c: Command): Option[] => {
    const all: Option[] = [...c.options];
    // Inherited: the persistent flags only (-P/--profile), not the root's --version.
    for (let x: Command | null = c.parent; x; x = x.parent) all.push(...x.options.filter((o) => o.long !== '--version'));
    return all;
  };
  const find = (c: Command, flag: string) => optionsOf(c).find((o) => o.long === flag || o.short === flag);
  let expectValueOf: Option | undefined;
  for (const word of words.slice(0, -1)) {
    if (expectValueOf) {
      expectValueOf = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = find(command, word.split('=')[0]!);
      if (option && (option.required || option.optional) && !word.includes('=')) expectValueOf = option;
      continue;
    }
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next) command = next;
  }
  if (expectValueOf) return valuesFor(expectValueOf, profiles).filter((v) => v.startsWith(partial));
  if (partial.startsWith('-')) {
    const flags = optionsOf(command)
      .filter((o) => !o.hidden)
      .map((o) => o.long)
      .filter((f): f is string => Boolean(f));
    return [...new Set([...flags, '--help'])].filter((f) => f.startsWith(partial)).sort();
  }
  const spec = SPECS.get(command);
  if (command !== root && spec && !isGroup(spec)) return [];
  const visible = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  return visible
    .map((c) => c.name())
    .filter((n) => n.startsWith(partial))
    .sort();
}

function valuesFor(option: Option, profiles: readonly string[]): string[] {
  if (option.long === '--output') return ['json', 'plaintext', 'json-path=', 'go-template=', 'go-template-file='];
  if (option.long === '--profile') return [...profiles];
  return [];
}
