import { writeConfigFile } from '../../config/profiles.js';
import { CliError } from '../../framework/cli-errors.js';
import { defineCommand, FORCE_FLAG } from '../../framework/command-spec.js';

/** `privlink config delete <name> [--force]`. */
export const configDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Delete a profile.',
  args: [{ name: 'name', description: 'Name of the profile.' }],
  flags: [FORCE_FLAG],
  examples: ['# Delete the default profile:\nprivlink config delete default', '# Delete the profile myProfile without asking:\nprivlink config delete myProfile --force'],
  async run(ctx, [name]) {
    const file = ctx.configFile();
    if (!file.profiles[name!]) throw new CliError(`profile '${name}' does not exist in ${ctx.configPath()}`);
    await ctx.confirmDelete(name!, 'Profile not deleted');
    delete file.profiles[name!];
    writeConfigFile(file);
    ctx.out(`Profile '${name}' deleted\n`);
  },
});
