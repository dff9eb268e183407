import { FlagError } from '../../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG, type FlagSpec, type LeafSpec } from '../../../framework/command-spec.js';
import { interfaceEndpointsPath, requiredRole, type Provider } from '../provider.js';
import type { CreateEndpointRequestWire, InterfaceEndpointWire } from '../../../../api/atlas/wire/private-endpoints.wire.js';

/**
 * `privlink privateEndpoints {aws|azure|gcp} interfaces create`: op 6.
 *   aws   <endpointServiceId> --privateEndpointId vpce-…                       → {id}
 *   azure <endpointServiceId> --privateEndpointId /subscriptions/… --privateEndpointIpAddress ip → {id, privateEndpointIPAddress}
 *   gcp   <endpointGroupId> --endpointServiceId … --gcpProjectId … [--endpoint name@ip,…] → {endpointGroupName, gcpProjectId, endpoints}
 */
const TEMPLATES: Record<Provider['command'], string> = {
  aws: "Interface endpoint '{{.InterfaceEndpointId}}' created.\n",
  azure: "Interface endpoint '{{.PrivateEndpointResourceId}}' created.\n",
  gcp: "Interface endpoint '{{.EndpointGroupName}}' created.\n",
};

const ENDPOINT_SERVICE_ID: FlagSpec = {
  syntax: '--endpointServiceId <endpointServiceId>',
  description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.',
  required: true,
};

const FLAGS: Record<Provider['command'], FlagSpec[]> = {
  aws: [
    {
      syntax: '--privateEndpointId <privateEndpointId>',
      description:
        'Unique 22-character alphanumeric string that identifies the AWS PrivateLink connection in AWS. You can find this value on the AWS VPC Dashboard under Endpoints > VPC ID.',
      required: true,
    },
  ],
  azure: [
    {
      syntax: '--privateEndpointId <privateEndpointId>',
      description:
        'Unique string that identifies the Azure private endpoint in Azure. The Properties page for your private endpoint on your Azure dashboard displays this property in the Resource ID field.',
      required: true,
    },
    {
      syntax: '--privateEndpointIpAddress <privateEndpointIpAddress>',
      description: 'Private IP address of the private endpoint network interface you created in your Azure VNet.',
      required: true,
    },
  ],
  gcp: [
    ENDPOINT_SERVICE_ID,
    { syntax: '--gcpProjectId <gcpProjectId>', description: 'Unique identifier of the GCP project in which the network peer resides.', required: true },
    { syntax: '--endpoint <endpoint...>', description: 'List of GCP endpoints in the group separated by commas, such as: endpointName1@ipAddress1,...,endpointNameN@ipAddressN' },
  ],
};

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Create a new interface for an AWS private endpoint with the ID 5f4fc14da2b47835a58c63a2 in Atlas and the ID vpce-00713b5e644e830a3 in AWS for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints aws interfaces create 5f4fc14da2b47835a58c63a2 --privateEndpointId vpce-00713b5e644e830a3 --projectId 5e2211c17a3e5a48f5497de3 --output json',
  azure:
    '# Create a new interface for an Azure private endpoint with the ID 5f4fc14da2b47835a58c63a2 in Atlas and the ID /subscriptions/4e133d35-e734-4385-a565-c0945567ae346/resourceGroups/rg_95847a959b876e255dbb9b33_dfragd7w/providers/Microsoft.Network/privateEndpoints/test-endpoint in Azure for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints azure interfaces create 5f4fc14da2b47835a58c63a2 --privateEndpointId /subscriptions/4e133d35-e734-4385-a565-c0945567ae346/resourceGroups/rg_95847a959b876e255dbb9b33_dfragd7w/providers/Microsoft.Network/privateEndpoints/test-endpoint --projectId 5e2211c17a3e5a48f5497de3 --privateEndpointIpAddress 192.0.2.5 --output json',
  gcp: 'privlink privateEndpoints gcp interfaces create endpoint-1 \\\n  --endpointServiceId 61eaca605af86411903de1dd \\\n  --gcpProjectId mcli-private-endpoints \\\n  --endpoint endpoint-0@10.142.0.2,endpoint-1@10.142.0.3',
};

export function interfaceCreateCommand(provider: Provider): LeafSpec {
  const gcp = provider.command === 'gcp';
  return defineCommand({
    name: 'create',
    aliases: ['add'],
    summary: gcp ? 'Create a GCP private endpoint interface.' : `Create a new interface for the specified ${provider.label} private endpoint.`,
    description: `${gcp ? '' : 'To learn more about how to set up private endpoints with the Atlas CLI, see the tutorial on the Atlas CLI tab here: https://www.mongodb.com/docs/atlas/security-cluster-private-endpoint/.\n\n'}${requiredRole('Project Owner')}`,
    args: [
      gcp
        ? { name: 'endpointGroupId', description: 'Unique identifier for the endpoint group.' }
        : { name: 'endpointServiceId', description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.' },
    ],
    flags: [...FLAGS[provider.command], PROJECT_ID_FLAG, OUTPUT_FLAG],
    examples: [EXAMPLES[provider.command]],
    async run(ctx, [arg]) {
      let serviceId: string;
      let body: CreateEndpointRequestWire;
      if (provider.command === 'gcp') {
        const endpoints = ctx.list('endpoint').map((item) => {
          const match = /^([^@]+)@(.+)$/.exec(item);
          if (!match) throw new FlagError(`invalid endpoint '${item}'. Required format is: <endpointName>@<ipAddress>, eg: foo@127.0.0.1`);
          return { endpointName: match[1]!, ipAddress: match[2]! };
        });
        serviceId = ctx.flag('endpointServiceId')!;
        body = { endpointGroupName: arg!, endpoints, gcpProjectId: ctx.flag('gcpProjectId')! };
      } else if (provider.command === 'azure') {
        serviceId = arg!;
        body = { id: ctx.flag('privateEndpointId')!, privateEndpointIPAddress: ctx.flag('privateEndpointIpAddress')! };
      } else {
        serviceId = arg!;
        body = { id: ctx.flag('privateEndpointId')! };
      }
      const projectId = ctx.projectId();
      ctx.outputFormat();
      ctx.print(await ctx.api().post<InterfaceEndpointWire>(interfaceEndpointsPath(projectId, provider, serviceId), body), TEMPLATES[provider.command]);
    },
  });
}
