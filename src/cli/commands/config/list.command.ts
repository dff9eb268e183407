import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';

/** `privlink config list`: the profile names. */
const TEMPLATE = 'PROFILE NAME\n{{range .}}{{.}}\n{{end}}';

export const configListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return a list of available profiles by name.',
  description: 'If you did not specify a name for your profile, it displays as the default profile.',
  flags: [OUTPUT_FLAG],
  examples: ['privlink config ls'],
  async run(ctx) {
    ctx.outputFormat();
    ctx.print(Object.keys(ctx.configFile().profiles).sort(), TEMPLATE);
  },
});
