import { defineCommand, FORCE_FLAG, objectIdArg, PROJECT_ID_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { requiredRole } from '../provider.js';
import { ENDPOINT_ID_ARG, EXTENSION_NOTE, INSTANCE_NAME_FLAG, tenantEndpointPath, type ServerlessProvider } from './serverless-provider.js';

/**
 * `privlink privateEndpoints serverless {aws|azure} delete <endpointId> --instanceName <name> [--force]`:
 * `DELETE …/endpoint/{endpointId}`. Asks on a terminal, needs --force elsewhere; "no" → exit 2.
 */
const SUCCESS = (id: string) => `Private endpoint '${id}' deleted\n`;
const DECLINED = 'Private endpoint not deleted';

export function serverlessEndpointDeleteCommand(provider: ServerlessProvider): LeafSpec {
  return defineCommand({
    name: 'delete',
    aliases: ['rm'],
    summary: `Remove the specified ${provider.label} private endpoint from a serverless instance.`,
    description: `The private endpoint goes to status DELETING and disappears once its endpoint service is gone; your own endpoint in ${provider.label} stays and is yours to delete.\n\n${EXTENSION_NOTE}\n\n${requiredRole('Project Owner')}`,
    args: [{ ...ENDPOINT_ID_ARG, validate: objectIdArg }],
    flags: [INSTANCE_NAME_FLAG, FORCE_FLAG, PROJECT_ID_FLAG],
    examples: [`privlink privateEndpoints serverless ${provider.command} delete 5f7cac1adf5d6c6306f4b283 --instanceName myInstance --force`],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      const api = ctx.api();
      await ctx.confirmDelete(id!, DECLINED);
      await api.delete(tenantEndpointPath(projectId, ctx.flag('instanceName')!, id!));
      ctx.out(SUCCESS(id!));
    },
  });
}
