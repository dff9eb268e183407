import { defineGroup } from '../../framework/command-spec.js';
import { clusterCreateCommand } from './create.command.js';
import { clusterDeleteCommand } from './delete.command.js';
import { clusterDescribeCommand } from './describe.command.js';
import { clusterListCommand } from './list.command.js';
import { clusterWatchCommand } from './watch.command.js';

/** `privlink clusters …` (alias `cluster`): enough to make the clusters private endpoints serve. */
export const clustersGroup = defineGroup({
  name: 'clusters',
  aliases: ['cluster'],
  summary: 'Manage clusters for your project.',
  commands: [clusterCreateCommand, clusterDeleteCommand, clusterDescribeCommand, clusterListCommand, clusterWatchCommand],
});
