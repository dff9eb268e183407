import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { atlasRegionName } from '../clusters/clusters-api.js';
import { serverlessInstancesPath } from './serverless-api.js';
import type { KeyValueWire } from '../../../api/atlas/wire/clusters.wire.js';
import type { CloudProviderWire } from '../../../api/atlas/wire/common.wire.js';
import type { ServerlessInstanceCreateWire, ServerlessInstanceWire } from '../../../api/atlas/wire/serverless.wire.js';

/**
 * `privlink serverless create <instanceName> --provider AWS|AZURE|GCP --region <region> [--tag key=value…]`:
 * `POST /groups/{g}/serverless` with `providerSettings {backingProviderName, providerName: SERVERLESS, regionName}`.
 * Tags as cobra's StringToString: repeat the flag or separate pairs with commas; pairs with an
 * empty key or value are dropped, as the Atlas CLI drops them.
 */
const TEMPLATE = 'Serverless instance {{.Name}} created.\n';

const PROVIDERS: readonly CloudProviderWire[] = ['AWS', 'AZURE', 'GCP'];

export const serverlessCreateCommand = defineCommand({
  name: 'create',
  summary: 'Creates one serverless instance in the specified project.',
  description: `The instance starts in state CREATING and becomes IDLE; \`privlink serverless watch <instanceName>\` waits for that.\n\n${requiredRole('Project Owner')}`,
  args: [{ name: 'instanceName', description: 'Human-readable label that identifies your serverless instance.' }],
  flags: [
    { syntax: '--provider <provider>', description: 'Cloud service provider that applies to the provisioned serverless instance: AWS, AZURE or GCP.', required: true },
    {
      syntax: '--region <region>',
      description:
        'Human-readable label that identifies the physical location of your MongoDB serverless instance, as an Atlas name (US_EAST_1). The region you choose can affect network latency for clients accessing your databases.',
      required: true,
    },
    {
      syntax: '--tag <key=value...>',
      description:
        'List that contains key-value pairs between 1 to 255 characters in length for tagging and categorizing the serverless instance (repeat or separate with commas).',
    },
    PROJECT_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: [
    '# Deploy a serverless instance named myInstance on AWS in US_EAST_1 for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink serverless create myInstance --provider AWS --region US_EAST_1 --projectId 5e2211c17a3e5a48f5497de3',
    '# Deploy a tagged serverless instance:\nprivlink serverless create myInstance --provider AWS --region US_EAST_1 --tag env=dev --tag team=payments',
  ],
  async run(ctx, [name]) {
    const provider = ctx.flag('provider')!.toUpperCase();
    if (!PROVIDERS.includes(provider as CloudProviderWire))
      throw new FlagError(`invalid argument "${ctx.flag('provider')}" for "--provider" flag: valid values are AWS, AZURE, GCP`);
    const tags: KeyValueWire[] = [];
    for (const pair of ctx.list('tag')) {
      const at = pair.indexOf('=');
      if (at < 0) throw new FlagError(`invalid argument "${pair}" for "--tag" flag: ${pair} must be formatted as key=value`);
      const [key, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (key !== '' && value !== '') tags.push({ key, value });
    }
    const projectId = ctx.projectId();
    ctx.outputFormat();
    const body: ServerlessInstanceCreateWire = {
      name: name!,
      providerSettings: { backingProviderName: provider as CloudProviderWire, providerName: 'SERVERLESS', regionName: atlasRegionName(ctx.flag('region')!) },
      ...(tags.length > 0 ? { tags } : {}),
    };
    ctx.print(await ctx.api().post<ServerlessInstanceWire>(serverlessInstancesPath(projectId), body), TEMPLATE);
  },
});
