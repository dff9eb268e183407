import { apiPath } from '../../api/api-session.js';
import { defineCommand, objectIdArg, OUTPUT_FLAG } from '../../framework/command-spec.js';
import type { ProjectWire } from '../../../api/atlas/wire/identity.wire.js';

/** `privlink projects describe <ID>`: `GET /api/atlas/v2/groups/{id}`. */
const TEMPLATE = 'ID\tNAME\n{{.Id}}\t{{.Name}}\n';

export const projectDescribeCommand = defineCommand({
  name: 'describe',
  aliases: ['get'],
  summary: 'Return the details for the specified project.',
  args: [{ name: 'ID', description: 'Unique 24-digit string that identifies the project.', validate: objectIdArg }],
  flags: [OUTPUT_FLAG],
  examples: ['privlink projects describe 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx, [id]) {
    ctx.outputFormat();
    ctx.print(await ctx.api().get<ProjectWire>(apiPath`/api/atlas/v2/groups/${id!}`), TEMPLATE);
  },
});
