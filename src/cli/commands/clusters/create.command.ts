import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { atlasRegionName, CLUSTER_MEDIA_TYPE, clustersPath } from './clusters-api.js';
import type { ClusterWire } from '../../../api/atlas/wire/clusters.wire.js';

/**
 * `privlink clusters create <name> --provider AWS --region US_EAST_1 [--tier M10] [--members 3]
 * [--type REPLICASET|SHARDED] [--shards n] [--mdbVersion 8.0]`: one region, `electableSpecs` of
 * `--members` nodes of `--tier`, priority 7; SHARDED repeats the replication spec `--shards` times.
 */
const TEMPLATE = "Cluster '{{.Name}}' is being created.\n";

export const clusterCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a cluster for your project.',
  description:
    'The cluster starts in state CREATING and becomes IDLE; `privlink clusters watch <name>` waits for that.\n\nTo use this command, you must authenticate with an API key with the Project Owner role.',
  args: [{ name: 'name', description: 'Name of the cluster (ASCII letters, numbers and hyphens).' }],
  flags: [
    { syntax: '--provider <provider>', description: 'Cloud service provider: AWS, AZURE or GCP.', required: true },
    { syntax: '--region <region>', description: 'Region of the cluster, as an Atlas name (US_EAST_1) or a cloud one (us-east-1).', required: true },
    { syntax: '--tier <tier>', description: 'Tier of the cluster (M10, M20, …).', defaultValue: 'M10' },
    { syntax: '--members <members>', description: 'Number of electable nodes of each replica set.', defaultValue: '3' },
    { syntax: '--type <type>', description: 'Type of the cluster: REPLICASET or SHARDED.', defaultValue: 'REPLICASET' },
    { syntax: '--shards <shards>', description: 'Number of shards of a SHARDED cluster.', defaultValue: '1' },
    { syntax: '--mdbVersion <version>', description: 'Major MongoDB version of the cluster (8.0, 7.0, …).' },
    PROJECT_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: [
    '# Create a three-member M10 replica set on AWS in us-east-1:\nprivlink clusters create Cluster0 --provider AWS --region US_EAST_1 --tier M10 --members 3',
    '# Create a two-shard cluster:\nprivlink clusters create Sharded0 --provider AWS --region us-east-1 --type SHARDED --shards 2',
  ],
  async run(ctx, [name]) {
    const members = Number(ctx.flag('members'));
    const shards = Number(ctx.flag('shards'));
    if (!Number.isInteger(members) || members < 1) throw new FlagError(`invalid argument "${ctx.flag('members')}" for "--members" flag: not a positive integer`);
    if (!Number.isInteger(shards) || shards < 1) throw new FlagError(`invalid argument "${ctx.flag('shards')}" for "--shards" flag: not a positive integer`);
    const clusterType = ctx.flag('type')!.toUpperCase();
    const projectId = ctx.projectId();
    ctx.outputFormat();
    const replicationSpec = {
      regionConfigs: [
        {
          electableSpecs: { instanceSize: ctx.flag('tier'), nodeCount: members },
          priority: 7,
          providerName: ctx.flag('provider')!.toUpperCase(),
          regionName: atlasRegionName(ctx.flag('region')!),
        },
      ],
    };
    const body = {
      clusterType,
      ...(ctx.flag('mdbVersion') ? { mongoDBMajorVersion: ctx.flag('mdbVersion') } : {}),
      name,
      replicationSpecs: Array.from({ length: clusterType === 'REPLICASET' ? 1 : shards }, () => replicationSpec),
    };
    ctx.print(await ctx.api().post<ClusterWire>(clustersPath(projectId), body, { mediaType: CLUSTER_MEDIA_TYPE }), TEMPLATE);
  },
});
