import { defineGroup } from '../../framework/command-spec.js';
import { configDeleteCommand } from './delete.command.js';
import { configDescribeCommand } from './describe.command.js';
import { configInitCommand } from './init.command.js';
import { configListCommand } from './list.command.js';
import { configSetCommand } from './set.command.js';

/** `privlink config …`: profiles in ~/.config/privlink/config.toml (see config/settings.ts for precedence). */
export const configGroup = defineGroup({
  name: 'config',
  summary: 'Configure and manage your user profiles.',
  description:
    'Profiles live in $XDG_CONFIG_HOME/privlink/config.toml (default ~/.config/privlink/config.toml), mode 0600, with the Atlas CLI keys. ' +
    'Precedence: flag > environment (PRIVLINK_*, then MONGODB_ATLAS_*) > profile > default. See docs/cli.md.',
  commands: [configDeleteCommand, configDescribeCommand, configInitCommand, configListCommand, configSetCommand],
});
