import { CliError } from '../../framework/cli-errors.js';
import { defineCommand, defineGroup, FORCE_FLAG, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { APP_ID_FLAG, appIdOf, appServicesSession, securityPath } from './appservices-session.js';
import { apiPath } from '../../api/api-session.js';

const LIST = 'ID\tENDPOINT ID\tTYPE\tREGION\tSTATUS{{range .}}\n{{.Id}}\t{{.cloud_provider_endpoint_id}}\t{{.endpoint_type}}\t{{.cloud_provider_region}}\t{{.Status}}{{end}}\n';
const INFOS = 'TYPE\tREGION\tSERVICE NAME{{range .}}\n{{.endpoint_type}}\t{{.cloud_provider_region}}\t{{if .service_name}}{{.service_name}}{{else}}(being made){{end}}{{end}}\n';

/** `privlink appservices privateEndpoints list --appId <id>`. */
const listCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: "Return the private endpoints of an App Services app, with privlink's status.",
  description: requiredRole('Project Read Only'),
  flags: [APP_ID_FLAG, PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['privlink appservices privateEndpoints list --appId 5e2211c17a3e5a48f5497de4'],
  async run(ctx) {
    const projectId = ctx.projectId();
    const appId = appIdOf(ctx);
    ctx.outputFormat();
    ctx.print(await appServicesSession(ctx).get(`${securityPath(projectId, appId)}/private_endpoints`), LIST);
  },
});

/** `privlink appservices privateEndpoints serviceInfos --appId <id>`. */
const serviceInfosCommand = defineCommand({
  name: 'serviceInfos',
  aliases: ['service-infos'],
  summary: "Return the endpoint services (general, sync) of the app's region to create your VPC endpoints to.",
  description: requiredRole('Project Read Only'),
  flags: [APP_ID_FLAG, PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['privlink appservices privateEndpoints serviceInfos --appId 5e2211c17a3e5a48f5497de4'],
  async run(ctx) {
    const projectId = ctx.projectId();
    const appId = appIdOf(ctx);
    ctx.outputFormat();
    ctx.print(await appServicesSession(ctx).get(`${securityPath(projectId, appId)}/private_endpoint_service_infos`), INFOS);
  },
});

/** `privlink appservices privateEndpoints create --appId <id> --endpointId vpce-… --type general|sync`. */
const createCommand = defineCommand({
  name: 'create',
  summary: 'Register your VPC endpoint as a general or sync private endpoint of the app.',
  description: `A sync endpoint needs a general one. privlink then checks the VPC endpoint against the service of its type and accepts it (PENDING, then AVAILABLE).\n\n${requiredRole('Project Owner')}`,
  flags: [
    APP_ID_FLAG,
    { syntax: '--endpointId <vpceId>', description: 'Your VPC endpoint id (vpce-…).', required: true },
    { syntax: '--type <endpointType>', description: 'general or sync.', required: true },
    { syntax: '--region <providerRegion>', description: "The app's region, e.g. aws-us-east-1.", required: true },
    { syntax: '--comment <comment>', description: 'Optional description.' },
    PROJECT_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: ['privlink appservices privateEndpoints create --appId 5e2211c17a3e5a48f5497de4 --endpointId vpce-0123456789abcdef0 --type general --region aws-us-east-1'],
  async run(ctx) {
    const projectId = ctx.projectId();
    const appId = appIdOf(ctx);
    ctx.outputFormat();
    const comment = ctx.flag('comment');
    const body = {
      cloud_provider_region: ctx.flag('region'),
      cloud_provider_endpoint_id: ctx.flag('endpointId'),
      endpoint_type: ctx.flag('type'),
      ...(comment !== undefined ? { comment } : {}),
    };
    ctx.print(
      await appServicesSession(ctx).post(`${securityPath(projectId, appId)}/private_endpoints`, body),
      "Private endpoint '{{.Id}}' ({{.endpoint_type}}, {{.cloud_provider_endpoint_id}}) created; status {{.Status}}.\n",
    );
  },
});

/** `privlink appservices privateEndpoints delete <id> --appId <id> [--force]`. */
const deleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: "Delete one of the app's private endpoints (its connection is rejected).",
  description: requiredRole('Project Owner'),
  args: [{ name: 'privateEndpointId', description: 'The _id of the private endpoint.' }],
  flags: [APP_ID_FLAG, FORCE_FLAG, PROJECT_ID_FLAG],
  examples: ['privlink appservices privateEndpoints delete 5e2211c17a3e5a48f5497de5 --appId 5e2211c17a3e5a48f5497de4 --force'],
  async run(ctx, [id]) {
    const projectId = ctx.projectId();
    const appId = appIdOf(ctx);
    const session = appServicesSession(ctx);
    await ctx.confirmDelete(id!, 'Private endpoint not deleted');
    await session.delete(`${securityPath(projectId, appId)}${apiPath`/private_endpoints/${id!}`}`);
    ctx.out(`Private endpoint '${id!}' deleted\n`);
  },
});

/** What the toggle's value reads as (`GET …/allow_non_vpc_client_requests`, a privlink addition to the v3 API). */
const RESTRICTION = '{{if .allow_non_vpc_client_requests}}Requests from outside the VPC are accepted{{else}}Requests from outside the VPC are refused (404){{end}}\n';

/**
 * `privlink appservices privateEndpoints restrictAccess on|off|status --appId <id>`: Toggle Non-VPC
 * Requests (on = restricted), or show it. After `on` or `off` the value is read back, so every
 * state prints what the server holds (`-o json`: `{"allow_non_vpc_client_requests": <bool>}`).
 */
const restrictAccessCommand = defineCommand({
  name: 'restrictAccess',
  aliases: ['restrict-access'],
  summary: 'Restrict the app to its private endpoints (on, the default) or also accept requests from outside the VPC (off); status shows the setting.',
  description: `${requiredRole('Project Owner')} To show the setting (status), the Project Read Only role is enough.`,
  args: [
    {
      name: 'state',
      description: 'on, off or status.',
      validate: (value) => (value === 'on' || value === 'off' || value === 'status' ? undefined : `expected on, off or status, got '${value}'`),
    },
  ],
  flags: [APP_ID_FLAG, PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: [
    'privlink appservices privateEndpoints restrictAccess off --appId 5e2211c17a3e5a48f5497de4',
    '# Show the setting:\nprivlink appservices privateEndpoints restrictAccess status --appId 5e2211c17a3e5a48f5497de4 -o json',
  ],
  async run(ctx, [state]) {
    const projectId = ctx.projectId();
    const appId = appIdOf(ctx);
    if (state !== 'on' && state !== 'off' && state !== 'status') throw new CliError(`expected on, off or status, got '${String(state)}'`);
    ctx.outputFormat();
    const session = appServicesSession(ctx);
    const path = `${securityPath(projectId, appId)}/allow_non_vpc_client_requests`;
    if (state !== 'status') await session.post(path, { allow_non_vpc_client_requests: state === 'off' });
    ctx.print(await session.get(path), RESTRICTION);
  },
});

/** `privlink appservices privateEndpoints …`. */
export const appServicesPrivateEndpointsGroup = defineGroup({
  name: 'privateEndpoints',
  aliases: ['privateendpoints', 'private-endpoints'],
  summary: 'Manage the private endpoints of App Services apps.',
  commands: [createCommand, deleteCommand, listCommand, restrictAccessCommand, serviceInfosCommand],
});
