import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand, PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG } from '../../framework/command-spec.js';
import { parseDuration, watchUntil } from '../../framework/watch.js';
import { CLUSTER_MEDIA_TYPE, clusterPath } from './clusters-api.js';
import type { ClusterWire } from '../../../api/atlas/wire/clusters.wire.js';

/** `privlink clusters watch <name>`: polls until `stateName` is IDLE. */
export const clusterWatchCommand = defineCommand({
  name: 'watch',
  summary: 'Watch the specified cluster in your project until it becomes available.',
  description:
    'This command checks the cluster\'s state periodically until it reaches IDLE, then prints "Cluster available."\nYou can interrupt the command\'s polling at any time with CTRL-C (exit code 2).',
  args: [{ name: 'clusterName', description: 'Name of the cluster to watch.' }],
  flags: [PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG],
  examples: ['privlink clusters watch Cluster0'],
  async run(ctx, [name]) {
    const interval = parseDuration(ctx.flag('interval') ?? '4s');
    if (interval === undefined) throw new FlagError(`invalid argument "${ctx.flag('interval')}" for "--interval" flag: not a duration (4s, 500ms)`);
    const projectId = ctx.projectId();
    const api = ctx.api();
    ctx.catchInterrupts();
    await watchUntil(ctx.io, interval, async () => {
      const body = await api.get<ClusterWire | undefined>(clusterPath(projectId, name!), { mediaType: CLUSTER_MEDIA_TYPE });
      return { done: body?.stateName === 'IDLE', value: body };
    });
    ctx.out('\nCluster available.\n');
  },
});
