import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { CLUSTER_MEDIA_TYPE, clustersPath } from './clusters-api.js';
import type { ClusterWire } from '../../../api/atlas/wire/clusters.wire.js';
import type { PaginatedWire } from '../../../api/atlas/wire/common.wire.js';

/** `privlink clusters list`. */
const TEMPLATE = 'ID\tNAME\tMDB VER\tSTATE{{range valueOrEmptySlice .Results}}\n{{.Id}}\t{{.Name}}\t{{.MongoDBVersion}}\t{{.StateName}}{{end}}\n';

export const clusterListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return all clusters for your project.',
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['privlink clusters list --projectId 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<PaginatedWire<ClusterWire>>(`${clustersPath(projectId)}?itemsPerPage=500`, { mediaType: CLUSTER_MEDIA_TYPE }), TEMPLATE);
  },
});
