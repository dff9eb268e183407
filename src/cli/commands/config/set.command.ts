import { CONFIG_KEYS, findConfigKey } from '../../config/config-keys.js';
import { writeConfigFile } from '../../config/profiles.js';
import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand } from '../../framework/command-spec.js';

/** `privlink config set <propertyName> <value> [-P name]`: prints `Updated property '<name>'`. */
export const configSetCommand = defineCommand({
  name: 'set',
  summary: 'Configure specific properties of a profile.',
  description: `Configure specific properties of the profile (default: "default", or -P/--profile).\n\nAvailable properties:\n${CONFIG_KEYS.map((k) => `  ${k.name.padEnd(30)}${k.description}`).join('\n')}`,
  args: [
    { name: 'propertyName', description: 'Property to set in the profile.' },
    { name: 'value', description: 'Value for the property to set in the profile.' },
  ],
  examples: [
    '# Point the default profile at a privlink server:\nprivlink config set ops_manager_url http://localhost:8080/',
    '# Set the default project of the profile named myProfile:\nprivlink config set project_id 5e2211c17a3e5a48f5497de3 -P myProfile',
  ],
  async run(ctx, [key, value]) {
    const definition = findConfigKey(key!);
    if (!definition) throw new FlagError(`invalid property: '${key}', valid properties are: ${CONFIG_KEYS.map((k) => k.name).join(', ')}`);
    const problem = definition.validate?.(value!);
    if (problem) throw new FlagError(problem);
    const file = ctx.configFile();
    const { name } = ctx.profileName();
    file.profiles[name] = { ...(file.profiles[name] ?? {}), [key!]: value! };
    writeConfigFile(file);
    ctx.out(`Updated property '${key}'\n`);
  },
});
