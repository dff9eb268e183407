import { FlagError } from '../../../framework/cli-errors.js';
import { defineCommand, objectIdArg, PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { parseDuration, watchUntil } from '../../../framework/watch.js';
import { requiredRole } from '../provider.js';
import { ENDPOINT_ID_ARG, EXTENSION_NOTE, INSTANCE_NAME_FLAG, tenantEndpointPath, type ServerlessProvider } from './serverless-provider.js';
import type { ServerlessTenantEndpointWire } from '../../../../api/atlas/wire/serverless.wire.js';

/**
 * `privlink privateEndpoints serverless {aws|azure} watch <endpointId> --instanceName <name>`:
 * polls `GET …/endpoint/{endpointId}` until the private endpoint waits for you or is done:
 *
 *   status                                     | outcome
 *   RESERVATION_REQUESTED, INITIATING          | keep polling
 *   RESERVED, no cloudProviderEndpointId yet   | done: "Private endpoint reserved." (create your endpoint, then update)
 *   RESERVED, cloudProviderEndpointId set      | keep polling (the update is being taken up)
 *   AVAILABLE                                  | done: "Private endpoint changes completed."
 *   FAILED                                     | exit 1 with the errorMessage
 *   DELETING                                   | exit 1: it is being deleted
 */
type Outcome = { readonly done: false } | { readonly done: true; readonly message: string } | { readonly done: true; readonly failure: string };

export function watchOutcome(id: string, body: ServerlessTenantEndpointWire | undefined): Outcome {
  switch (body?.status) {
    case 'RESERVED':
      return !body.cloudProviderEndpointId ? { done: true, message: RESERVED_MESSAGE } : { done: false };
    case 'AVAILABLE':
      return { done: true, message: AVAILABLE_MESSAGE };
    case 'FAILED':
      return { done: true, failure: `private endpoint '${id}' is FAILED: ${body.errorMessage ?? 'no error message'}` };
    case 'DELETING':
      return { done: true, failure: `private endpoint '${id}' is being deleted` };
    default:
      return { done: false };
  }
}

const RESERVED_MESSAGE = 'Private endpoint reserved.';
const AVAILABLE_MESSAGE = 'Private endpoint changes completed.';

export function serverlessEndpointWatchCommand(provider: ServerlessProvider): LeafSpec {
  return defineCommand({
    name: 'watch',
    summary: `Watch the specified ${provider.label} private endpoint of a serverless instance until it needs you or becomes available.`,
    description: `This command checks the private endpoint's status periodically. Before your endpoint is attached it stops at RESERVED and prints "${RESERVED_MESSAGE}": its endpoint service name is then known, so create your endpoint to it and run \`update\`. After \`update\` it stops at AVAILABLE and prints "${AVAILABLE_MESSAGE}"
You can interrupt the command's polling at any time with CTRL-C (exit code 2). A FAILED private endpoint, or one being deleted, ends the command with exit code 1.

${EXTENSION_NOTE}

${requiredRole('Project Read Only')}`,
    args: [{ ...ENDPOINT_ID_ARG, validate: objectIdArg }],
    flags: [INSTANCE_NAME_FLAG, PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG],
    examples: [`privlink privateEndpoints serverless ${provider.command} watch 5f7cac1adf5d6c6306f4b283 --instanceName myInstance`],
    async run(ctx, [id]) {
      const interval = parseDuration(ctx.flag('interval') ?? '4s');
      if (interval === undefined) throw new FlagError(`invalid argument "${ctx.flag('interval')}" for "--interval" flag: not a duration (4s, 500ms)`);
      const projectId = ctx.projectId();
      const api = ctx.api();
      ctx.catchInterrupts();
      const outcome = await watchUntil(ctx.io, interval, async () => {
        const body = await api.get<ServerlessTenantEndpointWire | undefined>(tenantEndpointPath(projectId, ctx.flag('instanceName')!, id!));
        const result = watchOutcome(id!, body);
        return { done: result.done, value: result, ...('failure' in result ? { failure: result.failure } : {}) };
      });
      if ('message' in outcome) ctx.out(`\n${outcome.message}\n`);
    },
  });
}
