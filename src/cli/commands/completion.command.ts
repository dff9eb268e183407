import { FlagError } from '../framework/cli-errors.js';
import { defineCommand } from '../framework/command-spec.js';

/**
 * `privlink completion bash|zsh|fish`: a shell script that asks `privlink __complete <words…>`
 * for candidates (commands, aliases, flags, `-o` and `-P` values), so it never goes stale.
 */
const SCRIPTS: Record<string, string> = {
  bash: `# bash completion for privlink
_privlink_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(privlink __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _privlink_complete privlink
`,
  zsh: `#compdef privlink
# zsh completion for privlink
_privlink() {
  local -a candidates
  candidates=("\${(@f)$(privlink __complete "\${(@)words[2,$CURRENT]}" 2>/dev/null)}")
  compadd -- $candidates
}
compdef _privlink privlink
`,
  fish: `# fish completion for privlink
function __privlink_complete
    set -l tokens (commandline -opc) (commandline -ct)
    privlink __complete $tokens[2..-1] 2>/dev/null
end
complete -c privlink -f -a '(__privlink_complete)'
`,
};

export const completionCommand = defineCommand({
  name: 'completion',
  summary: 'Generate the autocompletion script for the specified shell.',
  description: 'Print a completion script for bash, zsh or fish; load it in your shell to complete commands, aliases, flags, output formats and profile names.',
  args: [{ name: 'shell', description: 'bash, zsh or fish.' }],
  examples: [
    '# Load completions in the current bash session:\nsource <(privlink completion bash)',
    '# Install for zsh (with compinit loaded):\nprivlink completion zsh > "${fpath[1]}/_privlink"',
    '# Install for fish:\nprivlink completion fish > ~/.config/fish/completions/privlink.fish',
  ],
  async run(ctx, [shell]) {
    const script = SCRIPTS[shell!];
    if (!script) throw new FlagError(`invalid shell "${shell}": valid values are bash, zsh, fish`);
    ctx.out(script);
  },
});
