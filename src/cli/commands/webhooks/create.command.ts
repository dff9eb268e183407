import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { webhooksPath } from './webhooks-api.js';
import type { WebhookWire } from '../../../api/atlas/wire/webhooks.wire.js';

/** `privlink webhooks create --url <url> [--secret <s>]`: `POST /groups/{g}/privlink/webhooks`; prints the secret (shown only now). */
const TEMPLATE = "Webhook '{{.Id}}' created for {{.Url}}.\nSigning secret (shown only now): {{.Secret}}\n";

export const webhookCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a webhook that receives every event of your project.',
  description: `privlink POSTs each event as JSON, signed with HMAC-SHA256 (header X-Privlink-Signature), to the URL. The URL must be one the operator allows (PRIVLINK_WEBHOOK_ALLOW). Without --secret a secret is generated; it is shown only in this command's output.\n\n${requiredRole('Project Owner')}`,
  flags: [
    { syntax: '--url <url>', description: 'http or https URL that receives the deliveries.', required: true },
    { syntax: '--secret <secret>', description: 'Signing secret, 16 to 256 characters (generated when omitted).' },
    PROJECT_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: ['# Send the events of a project to a receiver:\nprivlink webhooks create --url https://hooks.example.com/privlink --projectId 5e2211c17a3e5a48f5497de3'],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    const secret = ctx.flag('secret');
    const body = { url: ctx.flag('url')!, ...(secret !== undefined ? { secret } : {}) };
    ctx.print(await ctx.api().post<WebhookWire>(webhooksPath(projectId), body), TEMPLATE);
  },
});
