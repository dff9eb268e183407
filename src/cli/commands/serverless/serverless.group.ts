import { defineGroup } from '../../framework/command-spec.js';
import { serverlessCreateCommand } from './create.command.js';
import { serverlessDeleteCommand } from './delete.command.js';
import { serverlessDescribeCommand } from './describe.command.js';
import { serverlessListCommand } from './list.command.js';
import { serverlessWatchCommand } from './watch.command.js';

/** `privlink serverless …` (alias `sl`): the Atlas CLI's `atlas serverless` create, list, describe, delete and watch. */
export const serverlessGroup = defineGroup({
  name: 'serverless',
  aliases: ['sl'],
  summary: 'Manage serverless instances for your project.',
  description:
    'The serverless command provides access to your serverless instance configurations. You can create, list, describe, watch and delete serverless instances; `privlink privateEndpoints serverless` manages their private endpoints.',
  commands: [serverlessCreateCommand, serverlessDeleteCommand, serverlessDescribeCommand, serverlessListCommand, serverlessWatchCommand],
});
