import { isSecretKey } from '../../config/config-keys.js';
import { CliError } from '../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';

/** `privlink config describe <name>`: the profile's settings, keys shown as `redacted`. */
const TEMPLATE = 'SETTING\tVALUE{{range .}}\n{{.Setting}}\t{{.Value}}{{end}}\n';

export const configDescribeCommand = defineCommand({
  name: 'describe',
  aliases: ['get'],
  summary: 'Return the profile you specify.',
  description: 'API keys and secrets are never shown; they print as "redacted".',
  args: [{ name: 'name', description: 'Name of the profile.' }],
  flags: [OUTPUT_FLAG],
  examples: ['privlink config describe default'],
  async run(ctx, [name]) {
    ctx.outputFormat();
    const profile = ctx.configFile().profiles[name!];
    if (!profile) throw new CliError(`profile '${name}' does not exist in ${ctx.configPath()}`);
    const redacted = Object.fromEntries(
      Object.keys(profile)
        .sort()
        .map((key) => [key, isSecretKey(key) ? 'redacted' : profile[key]!]),
    );
    const format = ctx.outputFormat();
    // JSON shows the profile as an object; the table needs rows.
    if (format.kind === 'plaintext')
      ctx.print(
        Object.entries(redacted).map(([Setting, Value]) => ({ Setting, Value })),
        TEMPLATE,
      );
    else ctx.print(redacted, TEMPLATE);
  },
});
