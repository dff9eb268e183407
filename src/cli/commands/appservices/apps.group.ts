import { defineCommand, defineGroup, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { appServicesSession, appsPath } from './appservices-session.js';

const LIST = 'ID\tCLIENT APP ID\tNAME\tDEPLOYMENT MODEL\tREGION{{range .}}\n{{.Id}}\t{{.client_app_id}}\t{{.Name}}\t{{.deployment_model}}\t{{.provider_region}}{{end}}\n';

/** `privlink appservices apps list`: `GET /groups/{g}/apps`. */
const appsListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return the App Services apps of your project.',
  description: requiredRole('Project Read Only'),
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['privlink appservices apps list --projectId 5e2211c17a3e5a48f5497de3 -o json'],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await appServicesSession(ctx).get(appsPath(projectId)), LIST);
  },
});

/** `privlink appservices apps create <name>`: `POST /groups/{g}/apps`. */
const appsCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create an App Services app in your project.',
  description: `Private endpoints are available for apps deployed LOCAL to an AWS region.\n\n${requiredRole('Project Owner')}`,
  args: [{ name: 'name', description: 'Name of the app: a letter, then letters, digits, _ or -.' }],
  flags: [
    { syntax: '--region <providerRegion>', description: 'Deployment region, e.g. aws-us-east-1.', defaultValue: 'aws-us-east-1' },
    { syntax: '--deploymentModel <model>', description: 'LOCAL or GLOBAL.', defaultValue: 'LOCAL' },
    PROJECT_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: ['privlink appservices apps create MyApp --region aws-us-east-1 --deploymentModel LOCAL'],
  async run(ctx, [name]) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    const body = { name, provider_region: ctx.flag('region') ?? 'aws-us-east-1', deployment_model: ctx.flag('deploymentModel') ?? 'LOCAL' };
    ctx.print(await appServicesSession(ctx).post(appsPath(projectId), body), "App '{{.Name}}' created with ID {{.Id}} (client app id {{.client_app_id}}).\n");
  },
});

/** `privlink appservices apps …`. */
export const appsGroup = defineGroup({
  name: 'apps',
  aliases: ['app'],
  summary: 'Manage App Services apps.',
  commands: [appsCreateCommand, appsListCommand],
});
