import { defineCommand } from '../../../framework/command-spec.js';
import { ARM_FLAGS, resolveArmTarget } from './arm-session.js';

/**
 * `privlink localcloud azure credentials`: the environment under which the Azure SDKs (and
 * scripts such as examples/azure/create-private-endpoint.mjs) act as the local cloud's customer,
 * as `export NAME='value'` lines for `eval "$(privlink localcloud azure credentials …)"`.
 * AZURE_AUTHORITY_HOST and AZURE_RESOURCE_MANAGER_ENDPOINT point at the local cloud;
 * NODE_EXTRA_CA_CERTS makes Node trust its CA.
 */
export const credentialsCommand = defineCommand({
  name: 'credentials',
  summary: "Print the environment (export lines) that makes Azure SDK scripts act as the local cloud's customer.",
  description: 'The client secret is printed: the output is as secret as the data directory.',
  flags: [...ARM_FLAGS],
  examples: [
    '# Run an Azure SDK script against the local cloud:\neval "$(privlink localcloud azure credentials --data-dir ./.privlink)"\nnode examples/azure/create-private-endpoint.mjs --private-link-service-id … --location eastus2',
  ],
  async run(ctx) {
    const target = resolveArmTarget(ctx);
    const variables: Array<[string, string | undefined]> = [
      ['AZURE_TENANT_ID', target.tenantId],
      ['AZURE_CLIENT_ID', target.clientId],
      ['AZURE_CLIENT_SECRET', target.clientSecret],
      ['AZURE_SUBSCRIPTION_ID', target.subscriptionId],
      ['AZURE_AUTHORITY_HOST', target.authorityHost],
      ['AZURE_RESOURCE_MANAGER_ENDPOINT', target.endpoint],
      ['NODE_EXTRA_CA_CERTS', target.caPath],
    ];
    ctx.out(variables.flatMap(([name, value]) => (value ? [`export ${name}=${shellQuote(value)}\n`] : [])).join(''));
  },
});

/** Single-quoted for POSIX shells. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
