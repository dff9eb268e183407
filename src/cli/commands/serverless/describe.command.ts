import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { serverlessInstancePath } from './serverless-api.js';
import type { ServerlessInstanceWire } from '../../../api/atlas/wire/serverless.wire.js';

/** `privlink serverless describe <instanceName>`: `GET /groups/{g}/serverless/{name}`. */
const TEMPLATE = 'ID\tNAME\tMDB VER\tSTATE\n{{.Id}}\t{{.Name}}\t{{.MongoDBVersion}}\t{{.StateName}}\n';

export const serverlessDescribeCommand = defineCommand({
  name: 'describe',
  aliases: ['get'],
  summary: 'Return one serverless instance in the specified project.',
  description: requiredRole('Project Read Only'),
  args: [{ name: 'instanceName', description: 'Human-readable label that identifies your serverless instance.' }],
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: [
    '# Return the JSON-formatted details for the serverless instance named myInstance in the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink serverless describe myInstance --projectId 5e2211c17a3e5a48f5497de3 --output json',
  ],
  async run(ctx, [name]) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<ServerlessInstanceWire>(serverlessInstancePath(projectId, name!)), TEMPLATE);
  },
});
