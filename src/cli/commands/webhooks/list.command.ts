import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { webhooksPath } from './webhooks-api.js';
import type { WebhookListWire, WebhookWire } from '../../../api/atlas/wire/webhooks.wire.js';

/** `privlink webhooks list`: `GET /groups/{g}/privlink/webhooks`. */
const TEMPLATE = 'ID\tURL\tENABLED\tFAILURES{{range valueOrEmptySlice .Results}}\n{{.Id}}\t{{.Url}}\t{{.Enabled}}\t{{.ConsecutiveFailures}}{{end}}\n';

export const webhookListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return the webhooks of your project.',
  description: requiredRole('Project Read Only'),
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['# Return the webhooks of a project as JSON:\nprivlink webhooks list --projectId 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<WebhookListWire<WebhookWire>>(webhooksPath(projectId)), TEMPLATE);
  },
});
