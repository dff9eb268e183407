import { defineCommand, FORCE_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { webhookPath } from './webhooks-api.js';

/** `privlink webhooks delete <webhookId> [--force]`: `DELETE /groups/{g}/privlink/webhooks/{id}`. Asks on a terminal, needs --force elsewhere. */
export const webhookDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Remove a webhook from your project.',
  description: `Nothing more is delivered to it, and its delivery log goes with it.\n\n${requiredRole('Project Owner')}`,
  args: [{ name: 'webhookId', description: 'Unique identifier of the webhook.' }],
  flags: [FORCE_FLAG, PROJECT_ID_FLAG],
  examples: ['# Remove a webhook without asking:\nprivlink webhooks delete 6b0e52b54744bdae82d9a700 --force --projectId 5e2211c17a3e5a48f5497de3'],
  async run(ctx, [webhookId]) {
    const projectId = ctx.projectId();
    const api = ctx.api();
    await ctx.confirmDelete(webhookId!, 'Webhook not deleted');
    await api.delete(webhookPath(projectId, webhookId!));
    ctx.out(`Webhook '${webhookId}' deleted\n`);
  },
});
