import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { webhookPath } from './webhooks-api.js';
import type { WebhookAttemptWire, WebhookListWire } from '../../../api/atlas/wire/webhooks.wire.js';

/** `privlink webhooks deliveries <webhookId>`: `GET /groups/{g}/privlink/webhooks/{id}/deliveries` (newest attempt first). */
const TEMPLATE =
  'STARTED\tEVENT ID\tATTEMPT\tOUTCOME\tSTATUS\tDURATION MS\tERROR{{range valueOrEmptySlice .Results}}\n{{.Started}}\t{{.EventId}}\t{{.Attempt}}\t{{.Outcome}}\t{{.StatusCode}}\t{{.DurationMs}}\t{{.Error}}{{end}}\n';

export const webhookDeliveriesCommand = defineCommand({
  name: 'deliveries',
  summary: 'Return the delivery log of a webhook: one line per attempt, newest first.',
  description: requiredRole('Project Read Only'),
  args: [{ name: 'webhookId', description: 'Unique identifier of the webhook.' }],
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['# Show the delivery attempts of a webhook:\nprivlink webhooks deliveries 6b0e52b54744bdae82d9a700 --projectId 5e2211c17a3e5a48f5497de3'],
  async run(ctx, [webhookId]) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<WebhookListWire<WebhookAttemptWire>>(`${webhookPath(projectId, webhookId!)}/deliveries?itemsPerPage=500`), TEMPLATE);
  },
});
