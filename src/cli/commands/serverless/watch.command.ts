import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand, PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG } from '../../framework/command-spec.js';
import { parseDuration, watchUntil } from '../../framework/watch.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { serverlessInstancePath } from './serverless-api.js';
import type { ServerlessInstanceWire } from '../../../api/atlas/wire/serverless.wire.js';

/** `privlink serverless watch <instanceName>`: polls `GET …/serverless/{name}` until `stateName` is IDLE. */
export const serverlessWatchCommand = defineCommand({
  name: 'watch',
  summary: 'Monitor the status of serverless instance.',
  description: `This command checks the serverless instance's state periodically until the instance reaches an IDLE state.
Once the instance reaches the expected state, the command prints "Instance available."
If you run the command in the terminal, it blocks the terminal session until the resource becomes idle.
You can interrupt the command's polling at any time with CTRL-C (exit code 2).

${requiredRole('Project Read Only')}`,
  args: [{ name: 'instanceName', description: 'Name of the instance to watch.' }],
  flags: [PROJECT_ID_FLAG, WATCH_INTERVAL_FLAG],
  examples: ['privlink serverless watch myInstance'],
  async run(ctx, [name]) {
    const interval = parseDuration(ctx.flag('interval') ?? '4s');
    if (interval === undefined) throw new FlagError(`invalid argument "${ctx.flag('interval')}" for "--interval" flag: not a duration (4s, 500ms)`);
    const projectId = ctx.projectId();
    const api = ctx.api();
    ctx.catchInterrupts();
    await watchUntil(ctx.io, interval, async () => {
      const body = await api.get<ServerlessInstanceWire | undefined>(serverlessInstancePath(projectId, name!));
      return { done: body?.stateName === 'IDLE', value: body };
    });
    ctx.out('\nInstance available.\n');
  },
});
