import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../framework/command-spec.js';
import { endpointServicesPath, requiredRole, type Provider } from './provider.js';
import type { CloudProviderEndpointServiceRequestWire, EndpointServiceWire } from '../../../api/atlas/wire/private-endpoints.wire.js';

/** `privlink privateEndpoints {aws|azure|gcp} create --region <region>`: op 1, `{providerName, region}` (GCP adds `portMappingEnabled`). */
const TEMPLATE = "Private endpoint '{{.Id}}' created.\n";

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Create a private endpoint connection for AWS in the us-east-1 region for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints aws create --region us-east-1 --projectId 5e2211c17a3e5a48f5497de3 --output json',
  azure:
    '# Create a private endpoint connection for Azure in the eastus region for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints azure create --region eastus --projectId 5e2211c17a3e5a48f5497de3 --output json',
  gcp: 'privlink privateEndpoints gcp create --region CENTRAL_US --portMappingEnabled',
};

const REGION_DESCRIPTION =
  'Cloud provider region in which you want to create the private endpoint connection. For a complete list of supported AWS regions, see: https://dochub.mongodb.org/core/aws-atlas. For a complete list of supported Azure regions, see: https://dochub.mongodb.org/core/azure-atlas. For a complete list of supported GCP regions, see: https://dochub.mongodb.org/core/gcp-atlas.';

export function createCommand(provider: Provider): LeafSpec {
  const gcp = provider.command === 'gcp';
  return defineCommand({
    name: 'create',
    summary: `Create a new ${provider.label} private endpoint for your project.`,
    description: `${gcp ? '' : 'To learn more about how to set up private endpoints with the Atlas CLI, see the tutorial on the Atlas CLI tab here: https://www.mongodb.com/docs/atlas/security-cluster-private-endpoint/.\n\n'}${requiredRole('Project Owner')}`,
    flags: [
      { syntax: '--region <region>', description: REGION_DESCRIPTION, required: true },
      ...(gcp
        ? [
            {
              syntax: '--portMappingEnabled',
              description: 'Flag that indicates whether this endpoint service uses PSC port-mapping. This is only applicable for GCP Private Endpoint Services.',
            },
          ]
        : []),
      PROJECT_ID_FLAG,
      OUTPUT_FLAG,
    ],
    examples: [EXAMPLES[provider.command]],
    async run(ctx) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      const body: CloudProviderEndpointServiceRequestWire = gcp
        ? { portMappingEnabled: ctx.bool('portMappingEnabled'), providerName: provider.api, region: ctx.flag('region')! }
        : { providerName: provider.api, region: ctx.flag('region')! };
      ctx.print(await ctx.api().post<EndpointServiceWire>(endpointServicesPath(projectId), body), TEMPLATE);
    },
  });
}
