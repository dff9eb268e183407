import { defineCommand, FORCE_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { CLUSTER_MEDIA_TYPE, clusterPath } from './clusters-api.js';

/** `privlink clusters delete <name> [--force]`. */
export const clusterDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Remove the specified cluster from your project.',
  args: [{ name: 'clusterName', description: 'Name of the cluster to delete.' }],
  flags: [FORCE_FLAG, PROJECT_ID_FLAG],
  examples: ['privlink clusters delete Cluster0 --force'],
  async run(ctx, [name]) {
    const projectId = ctx.projectId();
    const api = ctx.api();
    await ctx.confirmDelete(name!, 'Cluster not deleted');
    await api.delete(clusterPath(projectId, name!), { mediaType: CLUSTER_MEDIA_TYPE });
    ctx.out(`Deleting cluster '${name}'\n`);
  },
});
