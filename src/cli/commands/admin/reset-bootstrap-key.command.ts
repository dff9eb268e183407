import { CliError } from '../../framework/cli-errors.js';
import { defineCommand } from '../../framework/command-spec.js';

/**
 * `privlink admin reset-bootstrap-key [--data-dir <dir>]`: the way back in when the bootstrap
 * key's private key is lost. Opens the store (refused while a server holds the embedded data
 * directory; with DATABASE_URL it works next to running servers), gives the bootstrap key a new
 * private key (or makes a new Organization Owner + Project Owner key of the bootstrap organization
 * when it was deleted; on an empty store, the whole first-start bootstrap), writes
 * `<data-dir>/bootstrap.json` (0600) and prints the credentials once on stdout.
 */
export const resetBootstrapKeyCommand = defineCommand({
  name: 'reset-bootstrap-key',
  summary: 'Give the bootstrap API key a new private key, write it to bootstrap.json and print it once.',
  description:
    'The previous private key stops working. If the bootstrap key was deleted, a new key that is Organization Owner and Project Owner of the bootstrap organization and project is created. ' +
    'Stop `privlink serve` on an embedded data directory first; with DATABASE_URL set, the PostgreSQL store is used and servers may keep running. ' +
    'A key pinned with PRIVLINK_BOOTSTRAP_PUBLIC_KEY/PRIVLINK_BOOTSTRAP_PRIVATE_KEY gets its pinned private key back at the next start.',
  flags: [{ syntax: '--data-dir <dir>', description: 'data directory (env PRIVLINK_DATA_DIR, default ./.privlink); bootstrap.json is written there' }],
  examples: [
    'privlink admin reset-bootstrap-key --data-dir .privlink',
    'DATABASE_URL=postgres://localhost/privlink privlink admin reset-bootstrap-key --data-dir /var/lib/privlink',
  ],
  async run(ctx) {
    const { buildConfig, ConfigError } = await import('../../../config/config.js');
    const { resetBootstrapCredentials } = await import('./bootstrap-credentials.js');
    let config;
    try {
      config = buildConfig({ dataDir: ctx.flag('dataDir') }, ctx.io.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const { file, path } = await resetBootstrapCredentials(config);
    ctx.out(
      [
        `New credentials of the bootstrap API key (shown once; also in ${path}):`,
        `  organization  ${file.orgId}`,
        `  project       ${file.projectId}`,
        `  API key       public ${file.publicKey}  private ${file.privateKey}  (Organization Owner, Project Owner)`,
        '',
      ].join('\n'),
    );
    if (config.bootstrapKey) ctx.err('Note: PRIVLINK_BOOTSTRAP_PUBLIC_KEY/PRIVLINK_BOOTSTRAP_PRIVATE_KEY are set; the next start makes the pinned key work as pinned.\n');
  },
});
