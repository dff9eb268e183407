import { apiPath } from '../../api/api-session.js';
import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';
import type { PaginatedWire } from '../../../api/atlas/wire/common.wire.js';
import type { ProjectWire } from '../../../api/atlas/wire/identity.wire.js';

/** `privlink projects list`: `GET /api/atlas/v2/groups` (paginated `{results, totalCount}`). */
const TEMPLATE = 'ID\tNAME{{range valueOrEmptySlice .Results}}\n{{.Id}}\t{{.Name}}{{end}}\n';

export const projectListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return all projects the API key can see.',
  flags: [OUTPUT_FLAG],
  examples: ['privlink projects list --output json'],
  async run(ctx) {
    ctx.outputFormat();
    ctx.print(await ctx.api().get<PaginatedWire<ProjectWire>>(`${apiPath`/api/atlas/v2/groups`}?itemsPerPage=500`), TEMPLATE);
  },
});
