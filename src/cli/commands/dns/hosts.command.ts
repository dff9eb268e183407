import { readBootstrapFile } from '../config/bootstrap-file.js';
import { CliError, FlagError } from '../../framework/cli-errors.js';
import { defineCommand, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { privateNames } from './private-names.js';

/** Where the private DNS answers when nothing says otherwise (`privlink serve`'s defaults). */
const DEFAULT_DNS_SERVER = '127.0.0.1:5353';

/**
 * `privlink dns hosts`: hosts-file lines (`<address>\t<name>`, one per address) for the private
 * names a project's connection strings use now, as the private DNS answers them. For clients
 * whose resolver cannot be pointed at the private DNS (mongosh, pymongo): append them to
 * `/etc/hosts` and use the standard (non-SRV) private connection string. Names with no address
 * are listed on stderr. The DNS server: `--dnsServer`, else `PRIVLINK_DNS_SERVER`, else the `dns`
 * that `--data-dir`'s bootstrap.json records, else 127.0.0.1:5353.
 */
export const dnsHostsCommand = defineCommand({
  name: 'hosts',
  summary: "Print /etc/hosts lines for the private endpoint host names of your project's clusters and serverless instances.",
  description: `${requiredRole('Project Read Only')}\n\nThe addresses are the private DNS's answers now; run the command again after endpoints change. A hosts file cannot hold SRV or TXT records: connect with the standard private endpoint connection string (connectionStrings.privateEndpoint[].connectionString), not the mongodb+srv one.`,
  flags: [
    PROJECT_ID_FLAG,
    { syntax: '--dnsServer <host:port>', description: 'Address of the private DNS (default: PRIVLINK_DNS_SERVER, the dns of --data-dir/bootstrap.json, or 127.0.0.1:5353).' },
    { syntax: '--data-dir <dir>', description: 'Data directory of the privlink server whose bootstrap.json names the private DNS.' },
  ],
  examples: ['# Add the names of project 5e2211c17a3e5a48f5497de3 to /etc/hosts:\nprivlink dns hosts --projectId 5e2211c17a3e5a48f5497de3 | sudo tee -a /etc/hosts'],
  async run(ctx) {
    const projectId = ctx.projectId();
    const server = ctx.flag('dnsServer') ?? ctx.io.env.PRIVLINK_DNS_SERVER ?? fromDataDir(ctx.flag('dataDir')) ?? DEFAULT_DNS_SERVER;
    if (!/^[^\s:]+:\d{1,5}$/.test(server)) throw new FlagError(`invalid DNS server '${server}': expected host:port, such as 127.0.0.1:5353`);
    let names;
    try {
      names = await privateNames(ctx.api(), projectId, server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && !(error instanceof CliError)) {
        throw new CliError(`the private DNS at ${server} did not answer (${code}); is privlink running? Name it with --dnsServer host:port.`);
      }
      throw error;
    }
    const lines = [`# privlink private endpoint names of project ${projectId}, from the private DNS at ${server}`];
    for (const name of names) {
      if (name.addresses.length === 0) ctx.err(`# ${name.host}: the private DNS has no address for it now\n`);
      for (const address of name.addresses) lines.push(`${address}\t${name.host}`);
    }
    ctx.out(`${lines.join('\n')}\n`);
  },
});

/** `host:port` from `<dir>/bootstrap.json`'s `dns`, when the flag names a directory whose file has it (a missing or unreadable file is an error). */
function fromDataDir(dataDir: string | undefined): string | undefined {
  if (!dataDir) return undefined;
  const dns = readBootstrapFile(dataDir).dns;
  return dns?.host && dns.port ? `${dns.host}:${dns.port}` : undefined;
}
