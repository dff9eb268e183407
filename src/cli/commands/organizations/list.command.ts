import { apiPath } from '../../api/api-session.js';
import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';
import type { PaginatedWire } from '../../../api/atlas/wire/common.wire.js';
import type { OrganizationWire } from '../../../api/atlas/wire/identity.wire.js';

/** `privlink organizations list`: `GET /api/atlas/v2/orgs`. */
const TEMPLATE = 'ID\tNAME{{range valueOrEmptySlice .Results}}\n{{.Id}}\t{{.Name}}{{end}}\n';

export const orgListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return all organizations the API key belongs to.',
  flags: [OUTPUT_FLAG],
  examples: ['privlink organizations list --output json'],
  async run(ctx) {
    ctx.outputFormat();
    ctx.print(await ctx.api().get<PaginatedWire<OrganizationWire>>(`${apiPath`/api/atlas/v2/orgs`}?itemsPerPage=500`), TEMPLATE);
  },
});
