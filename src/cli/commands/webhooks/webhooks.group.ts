import { defineGroup } from '../../framework/command-spec.js';
import { webhookCreateCommand } from './create.command.js';
import { webhookDeleteCommand } from './delete.command.js';
import { webhookDeliveriesCommand } from './deliveries.command.js';
import { webhookListCommand } from './list.command.js';

/** `privlink webhooks …` (alias `webhook`): a privlink extension, no Atlas CLI equivalent. */
export const webhooksGroup = defineGroup({
  name: 'webhooks',
  aliases: ['webhook'],
  summary: 'Manage the webhooks that receive your project’s events.',
  description:
    'The webhooks command creates, lists and deletes the webhooks of your project and shows their delivery logs. Each event of the project is POSTed, signed, to every enabled webhook.',
  commands: [webhookCreateCommand, webhookDeleteCommand, webhookDeliveriesCommand, webhookListCommand],
});
