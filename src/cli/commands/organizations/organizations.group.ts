import { defineGroup, generateAliases } from '../../framework/command-spec.js';
import { orgApiKeyCreateCommand } from './api-keys/create.command.js';
import { orgApiKeyDeleteCommand } from './api-keys/delete.command.js';
import { orgApiKeyListCommand } from './api-keys/list.command.js';
import { orgListCommand } from './list.command.js';

/** `privlink organizations …` (alias `orgs`, `org`). */
export const organizationsGroup = defineGroup({
  name: 'organizations',
  aliases: ['organization', 'orgs', 'org'],
  summary: 'Manage your organizations and their API keys.',
  commands: [
    defineGroup({
      name: 'apiKeys',
      aliases: generateAliases('apiKeys', 'apikey'),
      summary: 'Manage the API keys of your organization.',
      commands: [orgApiKeyCreateCommand, orgApiKeyDeleteCommand, orgApiKeyListCommand],
    }),
    orgListCommand,
  ],
});
