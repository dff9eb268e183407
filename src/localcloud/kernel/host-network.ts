import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST_LINK_ADDRESS, NAMESPACE_LINK, namespacePrefix, vethPrefix, type NamespacePlan } from './kernel-plan.js';

/**
 * The links' MTU: a veth's largest, near loopback's 65,536 (the link is no network: at the 1,500
 * of an Ethernet the kernel would carry the same bytes in many more packets).
 */
const LINK_MTU = 65_535;

/** The host cannot run the kernel data plane (not Linux, not root, no `ip` or `nft`). */
export class KernelDataPlaneUnavailableError extends Error {
  override readonly name = 'KernelDataPlaneUnavailableError';
}

/**
 * The host's network, changed with iproute2 (`ip`) and nftables (`nft`), each call a child
 * process (nothing waits on the event loop). Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN for
 * namespaces), as `ip netns` does. Per-namespace resolver files live where `ip netns exec` reads
 * them: `/etc/netns/<name>/resolv.conf`.
 */
export class HostNetwork {
  constructor(private readonly netnsEtc = '/etc/netns') {}

  /** Why this host cannot run the kernel data plane, or undefined when it can. */
  static async unavailable(): Promise<string | undefined> {
    if (process.platform !== 'linux') return 'it needs Linux (network namespaces and nftables)';
    if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'it needs root (network namespaces and nftables need CAP_NET_ADMIN and CAP_SYS_ADMIN)';
    for (const [command, args, pkg] of [
      ['ip', ['-V'], 'iproute2'],
      ['nft', ['--version'], 'nftables'],
    ] as const) {
      try {
        await run(command, [...args]);
      } catch {
        return `\`${command}\` is not installed (Debian package ${pkg})`;
      }
    }
    return undefined;
  }

  /** The namespaces with this privlink's prefix (left by a process that stopped without cleaning up, or this one's). */
  async namespaces(tag: string): Promise<string[]> {
    const { stdout } = await run('ip', ['netns', 'list']);
    const prefix = namespacePrefix(tag);
    return stdout
      .split('\n')
      .map((line) => line.split(' ')[0]!)
      .filter((name) => name.startsWith(prefix));
  }

  /** Makes the namespace with its link, addresses and routes (a namespace of that name is replaced). */
  async addNamespace(plan: NamespacePlan): Promise<void> {
    await this.removeNamespace(plan.name, plan.vethName);
    await run('ip', ['netns', 'add', plan.name]);
    try {
      await run('ip', ['link', 'add', plan.vethName, 'type', 'veth', 'peer', 'name', NAMESPACE_LINK, 'netns', plan.name]);
      await run('ip', ['addr', 'add', `${HOST_LINK_ADDRESS}/32`, 'dev', plan.vethName]);
      // Packets from the namespace may be sent on to loopback addresses (the targets, the gateway, the DNS server).
      await writeFile(`/proc/sys/net/ipv4/conf/${plan.vethName}/route_localnet`, '1');
      // No IPv6 on the link (the rules are IPv4's): no link-local address reaches a host service listening on `::`.
      await writeFile(`/proc/sys/net/ipv6/conf/${plan.vethName}/disable_ipv6`, '1');
      await run('ip', [
        'netns',
        'exec',
        plan.name,
        'sh',
        '-c',
        `echo 1 > /proc/sys/net/ipv6/conf/${NAMESPACE_LINK}/disable_ipv6 && echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6`,
      ]);
      await run('ip', ['link', 'set', plan.vethName, 'mtu', String(LINK_MTU), 'up']);
      await run('ip', ['route', 'replace', `${plan.linkAddress}/32`, 'dev', plan.vethName]);
      const inside = (...args: string[]) => run('ip', ['-n', plan.name, ...args]);
      await inside('link', 'set', 'lo', 'up');
      await inside('addr', 'add', `${plan.linkAddress}/32`, 'dev', NAMESPACE_LINK);
      await inside('addr', 'add', `${plan.clientAddress}/32`, 'dev', NAMESPACE_LINK);
      await inside('link', 'set', NAMESPACE_LINK, 'mtu', String(LINK_MTU), 'up');
      await inside('route', 'add', `${HOST_LINK_ADDRESS}/32`, 'dev', NAMESPACE_LINK);
      await inside('route', 'add', 'default', 'via', HOST_LINK_ADDRESS, 'dev', NAMESPACE_LINK, 'src', plan.clientAddress);
      const etc = join(this.netnsEtc, plan.name);
      await mkdir(etc, { recursive: true, mode: 0o755 });
      await writeFile(join(etc, 'resolv.conf'), `# privlink: the network's DNS resolver\nnameserver ${plan.resolverAddress}\n`, { mode: 0o644 });
    } catch (error) {
      await this.removeNamespace(plan.name, plan.vethName).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Removes a namespace, its link and its resolver file; nothing when they are not there. The link
   * is deleted by its host side: a namespace whose name is gone lives on while a process still
   * runs in it, and so would its link.
   */
  async removeNamespace(name: string, vethName?: string): Promise<void> {
    if (vethName) await this.removeLink(vethName);
    await run('ip', ['netns', 'delete', name]).catch((error: Error) => {
      if (!/No such file|does not exist|Invalid netns/i.test(error.message)) throw error;
    });
    await rm(join(this.netnsEtc, name), { recursive: true, force: true });
  }

  /** Removes a link by its host side (both ends go); nothing when it is not there. */
  async removeLink(vethName: string): Promise<void> {
    await run('ip', ['link', 'delete', vethName]).catch((error: Error) => {
      if (!/Cannot find device|does not exist/i.test(error.message)) throw error;
    });
  }

  /** The host sides of this privlink's links (left by a process that stopped without cleaning up, or this one's). */
  async links(tag: string): Promise<string[]> {
    const { stdout } = await run('ip', ['-o', 'link', 'show', 'type', 'veth']);
    return [...stdout.matchAll(/^\d+: ([^:@\s]+)/gm)].map((m) => m[1]!).filter((name) => name.startsWith(vethPrefix(tag)));
  }

  /** The resolver folders of this privlink's namespaces (left by a process that stopped without cleaning up). */
  async removeResolverFolders(tag: string): Promise<void> {
    const names = await readdir(this.netnsEtc).catch(() => [] as string[]);
    for (const name of names) if (name.startsWith(namespacePrefix(tag))) await rm(join(this.netnsEtc, name), { recursive: true, force: true });
  }

  /** Replaces the namespace's table (the script deletes and adds it in one transaction). */
  async applyNamespaceScript(name: string, script: string): Promise<void> {
    await run('ip', ['netns', 'exec', name, 'nft', '-f', '-'], script);
  }

  /** Replaces the host's table of this privlink (one transaction). */
  async applyHostScript(script: string): Promise<void> {
    await run('nft', ['-f', '-'], script);
  }

  /** Removes the host's table; nothing when it is not there. */
  async removeHostTable(table: string): Promise<void> {
    await run('nft', ['-f', '-'], `table ip ${table}\ndelete table ip ${table}\n`);
  }
}

/** Runs a command; rejects with its standard error when it fails. */
function run(command: string, args: string[], input?: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    if (input === undefined) {
      execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')}: ${String(stderr).trim() || error.message}`));
        else resolve({ stdout: String(stdout) });
      });
      return;
    }
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout });
      else reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || `exit ${code}`}`));
    });
    child.stdin.end(input);
  });
}
