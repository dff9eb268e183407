import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand, PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG, type LeafSpec } from '../../framework/command-spec.js';
import { parseDuration, watchUntil } from '../../framework/watch.js';
import { endpointServicePath, requiredRole, type Provider } from './provider.js';
import type { EndpointServiceWire } from '../../../api/atlas/wire/private-endpoints.wire.js';

/**
 * `privlink privateEndpoints {aws|azure|gcp} watch <privateEndpointId>`: polls op 3 every 4 s
 * (`--interval`) until `status` is AVAILABLE (exit 0, prints the Atlas message) or FAILED
 * (exit 1 with the service's errorMessage). Spinner on a terminal, dots otherwise (stderr).
 */
const DONE: Record<Provider['command'], string> = {
  aws: '\nPrivate endpoint changes completed.\n',
  azure: '\nPrivate endpoint changes completed.\n',
  gcp: '\nGCP Private endpoint changes completed.\n',
};

const LONG = (label: string, done: string) => `This command checks the endpoint's state periodically until the endpoint reaches an AVAILABLE or FAILED state.
Once the endpoint reaches the expected state, the command prints "${done}"
If you run the command in the terminal, it blocks the terminal session until the resource becomes available or fails.
You can interrupt the command's polling at any time with CTRL-C (exit code 2). A FAILED ${label} private endpoint ends the command with exit code 1.

${requiredRole('Project Read Only')}`;

export function watchCommand(provider: Provider): LeafSpec {
  const gcp = provider.command === 'gcp';
  return defineCommand({
    name: 'watch',
    summary: gcp
      ? "Watch the specified GCP private endpoint to detect changes in the endpoint's state."
      : `Watch the specified ${provider.label} private endpoint in your project until it becomes available.`,
    description: LONG(provider.label, DONE[provider.command].trim()),
    args: [{ name: 'privateEndpointId', description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.' }],
    flags: [PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG],
    examples: [
      `# Watch for the ${provider.label} private endpoint with the ID 5f4fc14da2b47835a58c63a2 to become available in the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints ${provider.command} watch 5f4fc14da2b47835a58c63a2 --projectId 5e2211c17a3e5a48f5497de3`,
    ],
    async run(ctx, [id]) {
      const interval = parseDuration(ctx.flag('interval') ?? '4s');
      if (interval === undefined) throw new FlagError(`invalid argument "${ctx.flag('interval')}" for "--interval" flag: not a duration (4s, 500ms)`);
      const projectId = ctx.projectId();
      const api = ctx.api();
      ctx.catchInterrupts();
      await watchUntil(ctx.io, interval, async () => {
        const body = await api.get<EndpointServiceWire | undefined>(endpointServicePath(projectId, provider, id!));
        const failed = body?.status === 'FAILED';
        return {
          done: body?.status === 'AVAILABLE' || failed,
          value: body,
          ...(failed ? { failure: `private endpoint '${id}' is FAILED: ${body.errorMessage ?? 'no error message'}` } : {}),
        };
      });
      ctx.out(DONE[provider.command]);
    },
  });
}
