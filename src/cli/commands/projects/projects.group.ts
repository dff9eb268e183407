import { defineGroup, generateAliases } from '../../framework/command-spec.js';
import { projectApiKeyAssignCommand } from './api-keys/assign.command.js';
import { projectCreateCommand } from './create.command.js';
import { projectDeleteCommand } from './delete.command.js';
import { projectDescribeCommand } from './describe.command.js';
import { projectListCommand } from './list.command.js';

/** `privlink projects …` (alias `project`, `groups`). */
export const projectsGroup = defineGroup({
  name: 'projects',
  aliases: ['project', 'groups', 'group'],
  summary: 'Manage your projects.',
  commands: [
    defineGroup({
      name: 'apiKeys',
      aliases: generateAliases('apiKeys', 'apikey'),
      summary: 'Manage the API keys of your project.',
      commands: [projectApiKeyAssignCommand],
    }),
    projectCreateCommand,
    projectDeleteCommand,
    projectDescribeCommand,
    projectListCommand,
  ],
});
