import { apiPath } from '../../../api/api-session.js';
import { defineCommand, defineGroup, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../../framework/command-spec.js';
import type { SimulatedNodesWire } from '../../../../api/atlas/wire/simulated-nodes.wire.js';

/**
 * `privlink localcloud nodes stop|start --cluster <name> --node <node>`: the local cloud's node
 * fault switch (Admin API extension `POST /groups/{groupId}/clusters/{clusterName}/privlink/nodes/{nodeName}/stop|start`).
 */
const TEMPLATE = 'NODE\tSTATE\tROLE{{range valueOrEmptySlice .Results}}\n{{.Name}}\t{{.State}}\t{{.Role}}{{end}}\n';

const FLAGS = [
  { syntax: '--cluster <clusterName>', description: 'Name of the cluster.', required: true },
  { syntax: '--node <node>', description: 'The node: node-0, node-1, … for replica-set members (the order of the connection string), mongos-0, … for routers.', required: true },
  PROJECT_ID_FLAG,
  OUTPUT_FLAG,
];

const verb = (name: 'stop' | 'start', summary: string, description: string, example: string) =>
  defineCommand({
    name,
    summary,
    description: `${description}\n\nTo use this command, you must authenticate with a user account or an API key with the Project Cluster Manager role.`,
    flags: FLAGS,
    examples: [example],
    async run(ctx) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      const path = apiPath`/api/atlas/v2/groups/${projectId}/clusters/${ctx.flag('cluster')!}/privlink/nodes/${ctx.flag('node')!}/${name}`;
      ctx.print(await ctx.api().post<SimulatedNodesWire>(path, {}), TEMPLATE);
    },
  });

export const localcloudNodesGroup = defineGroup({
  name: 'nodes',
  summary: "Take a simulated node of a cluster down or bring it back up: a fault switch for the local cloud's data plane.",
  commands: [
    verb(
      'stop',
      'Take one simulated node of a cluster down.',
      "While a node is down, its port behind the load balancer resets every connection at once. If it was its replica set's primary, the first remaining member is elected primary in a new term (a higher electionId), so drivers move to it; without a majority of members up the set has no primary.",
      '# Take the primary of Cluster0 down:\nprivlink localcloud nodes stop --cluster Cluster0 --node node-0 --projectId 5e2211c17a3e5a48f5497de3',
    ),
    verb(
      'start',
      'Bring a simulated node that was taken down back up.',
      'The node comes back on the same port, as a restarted mongod: a replica-set member rejoins as a secondary (the set elects a primary if it had none).',
      '# Bring node-0 of Cluster0 back:\nprivlink localcloud nodes start --cluster Cluster0 --node node-0 --projectId 5e2211c17a3e5a48f5497de3',
    ),
  ],
});
