import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { serverlessInstancesPath } from './serverless-api.js';
import type { PaginatedWire } from '../../../api/atlas/wire/common.wire.js';
import type { ServerlessInstanceWire } from '../../../api/atlas/wire/serverless.wire.js';

/** `privlink serverless list`: `GET /groups/{g}/serverless` (one page of up to 500). */
const TEMPLATE = 'ID\tNAME\tMDB VER\tSTATE{{range valueOrEmptySlice .Results}}\n{{.Id}}\t{{.Name}}\t{{.MongoDBVersion}}\t{{.StateName}}{{end}}\n';

export const serverlessListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return all serverless instances in the specified project.',
  description: requiredRole('Project Read Only'),
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: [
    '# Return the JSON-formatted list of all serverless instances for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink serverless list --projectId 5e2211c17a3e5a48f5497de3 --output json',
  ],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<PaginatedWire<ServerlessInstanceWire>>(`${serverlessInstancesPath(projectId)}?itemsPerPage=500`), TEMPLATE);
  },
});
