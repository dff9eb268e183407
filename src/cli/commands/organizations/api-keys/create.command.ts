import { apiPath } from '../../../api/api-session.js';
import { defineCommand, ORG_ID_FLAG, OUTPUT_FLAG } from '../../../framework/command-spec.js';
import type { ApiKeyWire } from '../../../../api/atlas/wire/identity.wire.js';

/**
 * `privlink organizations apiKeys create --role … --desc …`: `POST /api/atlas/v2/orgs/{orgId}/apiKeys`.
 * The answer holds the private key, shown this once (it is the command's data).
 */
const TEMPLATE = "API Key '{{.Id}}' created.\nPublic API Key {{.PublicKey}}\nPrivate API Key {{.PrivateKey}}\n";

export const orgApiKeyCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create an API key for your organization.',
  description: 'Roles: ORG_OWNER, ORG_MEMBER, ORG_READ_ONLY. The private key is shown only in this answer; store it at once.',
  flags: [
    { syntax: '--role <role...>', description: 'List of roles for the API key (repeat or separate with commas).', required: true },
    { syntax: '--desc <description>', description: 'Description of the API key.', required: true },
    ORG_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: ['# Create an Organization Member API key:\nprivlink organizations apiKeys create --role ORG_MEMBER --desc "ci key" --orgId 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx) {
    const orgId = ctx.orgId();
    ctx.outputFormat();
    ctx.print(await ctx.api().post<ApiKeyWire>(apiPath`/api/atlas/v2/orgs/${orgId}/apiKeys`, { desc: ctx.flag('desc'), roles: ctx.list('role') }), TEMPLATE);
  },
});
