import { apiPath } from '../../../api/api-session.js';
import { defineCommand, PROJECT_ID_FLAG } from '../../../framework/command-spec.js';

/**
 * `privlink projects apiKeys assign <ID> --role GROUP_OWNER …`: gives an organization API key
 * roles in the project (`POST /api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}` `[{roles}]`).
 */
export const projectApiKeyAssignCommand = defineCommand({
  name: 'assign',
  summary: "Assign the specified organization API key to your project and modify the API key's roles for the project.",
  description: 'Roles: GROUP_OWNER, GROUP_READ_ONLY (repeat --role or separate with commas).',
  args: [{ name: 'ID', description: 'Unique 24-digit string that identifies your API key.' }],
  flags: [{ syntax: '--role <role...>', description: 'List of roles for the API key.', required: true }, PROJECT_ID_FLAG],
  examples: [
    '# Make the API key 62f3f9a5e2b1cb6bd9ac1c8b a Project Owner of the project 5e2211c17a3e5a48f5497de3:\nprivlink projects apiKeys assign 62f3f9a5e2b1cb6bd9ac1c8b --role GROUP_OWNER --projectId 5e2211c17a3e5a48f5497de3',
  ],
  async run(ctx, [id]) {
    const projectId = ctx.projectId();
    await ctx.api().post(apiPath`/api/atlas/v2/groups/${projectId}/apiKeys/${id!}`, [{ roles: ctx.list('role') }]);
    ctx.out('API Key successfully assigned.\n');
  },
});
