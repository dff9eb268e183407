import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { CLUSTER_MEDIA_TYPE, clusterPath } from './clusters-api.js';
import type { ClusterWire } from '../../../api/atlas/wire/clusters.wire.js';

/** `privlink clusters describe <name>`. */
const TEMPLATE = 'ID\tNAME\tMDB VER\tSTATE\n{{.Id}}\t{{.Name}}\t{{.MongoDBVersion}}\t{{.StateName}}\n';

export const clusterDescribeCommand = defineCommand({
  name: 'describe',
  aliases: ['get'],
  summary: 'Return the details for the specified cluster for your project.',
  args: [{ name: 'clusterName', description: 'Name of the cluster to retrieve.' }],
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['privlink clusters describe Cluster0 --output json'],
  async run(ctx, [name]) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<ClusterWire>(clusterPath(projectId, name!), { mediaType: CLUSTER_MEDIA_TYPE }), TEMPLATE);
  },
});
