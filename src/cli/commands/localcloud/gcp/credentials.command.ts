import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, resolveComputeTarget } from './compute-session.js';

/**
 * `privlink localcloud gcp credentials`: the customer's project, key file and the local cloud's
 * Compute Engine endpoint, as `export NAME='value'` lines for `eval "$(privlink localcloud gcp
 * credentials …)"` (the names gcloud and the Google libraries read), then comment lines showing
 * how to point a `@google-cloud/compute` client at the endpoint.
 */
export const credentialsCommand = defineCommand({
  name: 'credentials',
  summary: "Print the environment (export lines) that makes Google client scripts act as the local cloud's customer.",
  description:
    'GOOGLE_APPLICATION_CREDENTIALS names the key file (keep it as secret as the data directory). The Compute Engine endpoint is plain HTTP: pass its host, port and protocol to the client, as the comment lines show.',
  flags: [...COMPUTE_FLAGS],
  examples: [
    '# Run a @google-cloud/compute script against the local cloud:\neval "$(privlink localcloud gcp credentials --data-dir ./.privlink)"\nnode examples/gcp/create-psc-endpoint.mjs --region us-central1 --network app-net --subnet app-subnet --service-attachments projects/…/serviceAttachments/…',
  ],
  async run(ctx) {
    const target = resolveComputeTarget(ctx);
    const url = new URL(target.endpoint);
    const variables: Array<[string, string]> = [
      ['GOOGLE_APPLICATION_CREDENTIALS', target.keyFile],
      ['CLOUDSDK_CORE_PROJECT', target.projectId],
      ['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE', `${target.endpoint}/compute/v1/`],
    ];
    ctx.out(
      [
        ...variables.map(([name, value]) => `export ${name}=${shellQuote(value)}`),
        '# With @google-cloud/compute (no scopes: the key signs its own tokens):',
        `#   new ForwardingRulesClient({ apiEndpoint: '${url.hostname}', port: ${url.port || 80}, protocol: '${url.protocol.replace(':', '')}', keyFilename: process.env.GOOGLE_APPLICATION_CREDENTIALS, scopes: [] })`,
        '',
      ].join('\n'),
    );
  },
});

/** Single-quoted for POSIX shells. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
