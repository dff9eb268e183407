import { CliError } from '../framework/cli-errors.js';
import { defineCommand } from '../framework/command-spec.js';

/**
 * `privlink serve` (what `npm start` runs): starts the Admin API, the local cloud and the
 * reconciler with embedded defaults. On the first start of an empty store it prints the
 * bootstrap organization, project and API key once (also in `<data-dir>/bootstrap.json`), then
 * `privlink ready: Admin API <url>[, local cloud <url>], private DNS 127.0.0.1:<port>[, CA <path>]`
 * (tests parse that line). Stops cleanly on
 * SIGINT/SIGTERM. The server is loaded only by this command, so the other commands start fast.
 */
export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Start privlink: Admin API, local cloud and reconciler (embedded PGlite unless DATABASE_URL is set)',
  flags: [
    { syntax: '--host <host>', description: 'address the Admin API listens on (env PRIVLINK_HOST)' },
    { syntax: '--port <port>', description: 'Admin API port, 0 = any free port (env PRIVLINK_PORT, default 8080)' },
    { syntax: '--public-url <url>', description: 'public base URL of the Admin API (env PRIVLINK_PUBLIC_URL)' },
    { syntax: '--data-dir <dir>', description: 'data directory (env PRIVLINK_DATA_DIR, default ./.privlink)' },
    { syntax: '--domain <domain>', description: 'DNS domain of cluster hostnames (env PRIVLINK_DOMAIN, default privlink.test)' },
    { syntax: '--dns-port <port>', description: 'private DNS port (env PRIVLINK_DNS_PORT, default 5353)' },
    { syntax: '--localcloud-port <port>', description: 'local cloud AWS endpoint port (env PRIVLINK_LOCALCLOUD_PORT, default 4566)' },
    { syntax: '--aws-notification-topic <arn>', description: 'SNS topic for VPC endpoint connection notifications (env PRIVLINK_AWS_NOTIFICATION_TOPIC)' },
    { syntax: '--aws-notification-queue <url>', description: 'SQS queue subscribed to that topic, read by privlink (env PRIVLINK_AWS_NOTIFICATION_QUEUE)' },
    { syntax: '--no-localcloud', description: 'do not run the local cloud in this process' },
    { syntax: '--no-reconciler', description: 'do not run reconciler workers in this process' },
  ],
  examples: ['privlink serve', 'privlink serve --port 9090 --data-dir /var/lib/privlink', 'DATABASE_URL=postgres://localhost/privlink privlink serve'],
  async run(ctx) {
    const { buildConfig, ConfigError } = await import('../../config/config.js');
    const { createLogger } = await import('../../logging/logger.js');
    const { startPrivlink, KernelDataPlaneUnavailableError } = await import('../../main.js');
    let config;
    try {
      config = buildConfig(ctx.flags, ctx.io.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const log = createLogger(config.logLevel);
    const { DataDirLockedError } = await import('../../store/data-dir-lock.js');
    const { PinnedKeyConflictError } = await import('../../app/bootstrap.service.js');
    let running;
    try {
      running = await startPrivlink(config, log);
    } catch (error) {
      // Expected start-up failures get one clear line, not a stack trace.
      if (error instanceof DataDirLockedError || error instanceof PinnedKeyConflictError || error instanceof KernelDataPlaneUnavailableError) throw new CliError(error.message);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new CliError(`${(error as Error).message}: another process uses that port; choose another with --port / --localcloud-port / --dns-port.`);
      throw error;
    }
    if (running.createdBootstrap) {
      const b = running.createdBootstrap;
      ctx.out(
        [
          '',
          'privlink created on this first start (shown once; also in ' + `${config.dataDir}/bootstrap.json):`,
          `  organization  Default Organization  ${b.orgId}`,
          `  project       Project 0             ${b.projectId}`,
          `  API key       public ${b.publicKey}  private ${b.privateKey}  (Organization Owner, Project Owner)`,
          ...(b.localCloud
            ? [
                `  local cloud   ${b.localCloud.endpoint}  customer account ${b.localCloud.customer.accountId}`,
                `                AWS_ACCESS_KEY_ID=${b.localCloud.customer.accessKeyId} AWS_SECRET_ACCESS_KEY=${b.localCloud.customer.secretAccessKey}`,
              ]
            : []),
          '',
        ].join('\n') + '\n',
      );
    }
    ctx.out(
      `privlink ready: Admin API ${running.apiUrl}${running.localCloudUrl ? `, local cloud ${running.localCloudUrl}` : ''}, private DNS 127.0.0.1:${running.dnsPort}` +
        `${running.caPath ? `, CA ${running.caPath}` : ''}\n`,
    );
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await running.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  },
});
