import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, FlagError } from '../../framework/cli-errors.js';
import { defineCommand } from '../../framework/command-spec.js';

/** What the server lists in `<data dir>/kernel-namespaces.json` while its kernel data plane runs. */
interface NamespaceList {
  readonly namespaces: ReadonlyArray<{ readonly networkId: string; readonly namespace: string }>;
}

/**
 * `privlink localcloud exec --vpc <network id> -- <command> [args…]`: runs a command inside a
 * customer network of the local cloud (its Linux network namespace, made by a privlink serving
 * with `PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel` from the same data directory, which lists them in
 * `<data dir>/kernel-namespaces.json`), as `ip netns exec` does; exits with the command's exit code.
 */
export const execCommand = defineCommand({
  name: 'exec',
  summary: 'Run a command inside a customer network of the local cloud (kernel data plane).',
  description:
    "The command runs in the network's namespace with one address of the network, reaches the endpoint interfaces of its network (and of networks peered with routes) at their private addresses, and resolves names through the network's DNS resolver (privlink's private DNS). It needs root, and a privlink serving with PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel from the same data directory.",
  flags: [
    {
      syntax: '--vpc <networkId>',
      description: 'The network: an AWS VPC id (vpc-…), an Azure virtual network resource id, or a GCP network path (projects/<p>/global/networks/<name>).',
      required: true,
    },
    { syntax: '--data-dir <dir>', description: 'Data directory of the privlink server (default: PRIVLINK_DATA_DIR, else ./.privlink).' },
  ],
  variadic: true,
  examples: [
    '# Ask the private DNS from inside the default VPC, then connect with mongosh:\nprivlink localcloud exec --vpc vpc-0a1b2c3d4e5f60718 -- dig +short SRV _mongodb._tcp.cluster0-pl-0.abcde.privlink.test\nprivlink localcloud exec --vpc vpc-0a1b2c3d4e5f60718 -- mongosh "mongodb+srv://cluster0-pl-0.abcde.privlink.test/?tls=false"',
  ],
  async run(ctx, args) {
    if (args.length === 0) throw new FlagError('no command given: privlink localcloud exec --vpc <id> -- <command> [args…]');
    const dataDir = resolve(ctx.flag('dataDir') || ctx.io.env.PRIVLINK_DATA_DIR || '.privlink');
    const networkId = ctx.flag('vpc')!;
    let list: NamespaceList;
    try {
      list = JSON.parse(readFileSync(join(dataDir, 'kernel-namespaces.json'), 'utf8')) as NamespaceList;
    } catch {
      throw new CliError(`no kernel data plane runs from ${dataDir}: start privlink there with PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel (as root, on Linux).`);
    }
    const name = list.namespaces.find((n) => n.networkId.toLowerCase() === networkId.toLowerCase())?.namespace;
    if (!name) {
      throw new CliError(`the local cloud has no network ${networkId}; its networks: ${list.namespaces.map((n) => n.networkId).join(', ') || 'none'}.`);
    }
    const code = await new Promise<number>((done, fail) => {
      const child = spawn('ip', ['netns', 'exec', name, ...args], { stdio: 'inherit' });
      child.on('error', fail);
      child.on('close', (exitCode, signal) => done(exitCode ?? (signal ? 128 : 1)));
    });
    if (code !== 0) ctx.io.exit(code);
  },
});
