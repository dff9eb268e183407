import { apiPath } from '../../api/api-session.js';
import { defineCommand, ORG_ID_FLAG, OUTPUT_FLAG } from '../../framework/command-spec.js';
import type { ProjectWire } from '../../../api/atlas/wire/identity.wire.js';

/** `privlink projects create <projectName> [--orgId]`: `POST /api/atlas/v2/groups` `{name, orgId}`. */
const TEMPLATE = "Project '{{.Id}}' created.\n";

export const projectCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a project in your organization.',
  description: 'Projects group clusters and private endpoints. The API key must be an Organization Owner (or Member) of the organization.',
  args: [{ name: 'projectName', description: 'Label that identifies the project.' }],
  flags: [ORG_ID_FLAG, OUTPUT_FLAG],
  examples: [
    '# Create a project named my-project in the organization with the ID 5e2211c17a3e5a48f5497de3:\nprivlink projects create my-project --orgId 5e2211c17a3e5a48f5497de3 --output json',
  ],
  async run(ctx, [name]) {
    ctx.outputFormat();
    const orgId = ctx.settings().orgId.value ? ctx.orgId() : undefined;
    ctx.print(await ctx.api().post<ProjectWire>(apiPath`/api/atlas/v2/groups`, { name, ...(orgId ? { orgId } : {}) }), TEMPLATE);
  },
});
