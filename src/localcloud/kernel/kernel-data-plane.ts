import { rename, rm, writeFile } from 'node:fs/promises';
import type { Logger } from '../../logging/logger.js';
import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { parseIpv4 } from '../common/ipv4.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';
import { sourceOf } from '../gateway/security-groups.js';
import { HostNetwork } from './host-network.js';
import { hostTable, kernelPlan, type NamespacePlan } from './kernel-plan.js';

/**
 * The namespaces of a running kernel data plane, as `<data dir>/kernel-namespaces.json` lists them
 * (0600; removed when privlink stops): what `privlink localcloud exec --vpc <network id>` enters.
 */
export interface NamespaceList {
  readonly namespaces: ReadonlyArray<{ readonly networkId: string; readonly namespace: string; readonly clientAddress: string; readonly resolverAddress: string }>;
}

/** The list's file name in the data directory. */
export const NAMESPACE_LIST_FILE = 'kernel-namespaces.json';

/**
 * The kernel data plane (optional, Linux and root): follows the local cloud's snapshots and keeps
 * the host's network namespaces, links and nftables rules as `kernelPlan` draws them, beside the
 * loopback gateway (which still serves processes on the host, and the ports whose targets want a
 * PROXY header). Each pass changes only what differs from what it applied: a namespace made or
 * removed, a script applied again when its text changed. A failed step is logged and tried again
 * on the next pass. At start it removes what an earlier process with the same tag left behind; at
 * stop, everything it made.
 */
export class KernelDataPlane {
  private readonly passes = new CoalescedPass(
    () => this.pass(),
    (error) => this.log.warn('kernel data plane pass failed', { error: error.message }),
  );
  /** The namespaces made, with the script last applied in each (undefined: not applied). */
  private readonly applied = new Map<string, { plan: NamespacePlan; script: string | undefined }>();
  private hostScript: string | undefined;
  private listed: string | undefined;
  private byLink = new Map<string, NamespacePlan>();
  private snapshot: DataPlaneSnapshot | undefined;
  private unsubscribe: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: SnapshotSource,
    private readonly options: {
      readonly tag: string;
      readonly dnsPort: number;
      /** Where the namespaces are listed for `privlink localcloud exec` (see NamespaceList). */
      readonly listFile: string;
      readonly pollMs?: number;
    },
    private readonly log: Logger,
    private readonly host = new HostNetwork(),
  ) {}

  async start(): Promise<void> {
    // What a killed process listed is not there any more: the list is written again once made.
    await rm(this.options.listFile, { force: true });
    for (const name of await this.host.namespaces(this.options.tag)) await this.host.removeNamespace(name);
    for (const link of await this.host.links(this.options.tag)) await this.host.removeLink(link);
    await this.host.removeResolverFolders(this.options.tag);
    this.unsubscribe = this.source.onChange(() => void this.passes.run());
    this.poll = setInterval(() => void this.passes.run(), this.options.pollMs ?? 5000);
    this.poll.unref();
    await this.passes.run();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.poll);
    await this.passes.stop();
    for (const name of [...this.applied.keys()]) {
      await this.host
        .removeNamespace(name, this.applied.get(name)!.plan.vethName)
        .catch((error: Error) => this.log.warn('kernel data plane could not remove a namespace', { namespace: name, error: error.message }));
      this.applied.delete(name);
    }
    await this.host.removeHostTable(hostTable(this.options.tag)).catch((error: Error) => this.log.warn('kernel data plane could not remove its table', { error: error.message }));
    await rm(this.options.listFile, { force: true });
    this.listed = undefined;
    this.hostScript = undefined;
    this.byLink = new Map();
  }

  /**
   * Whether a connection to the loopback gateway comes from a namespace (its link address): the
   * namespace's rules admitted it on its real source before translating it, and the host sent it
   * only to a listener that namespace may reach.
   */
  fromNamespace(address: string): boolean {
    return this.byLink.has(address.replace(/^::ffff:/, ''));
  }

  /**
   * An address as a process in a namespace sees it (DNS answers to such a process): a loopback
   * address of a network of the picture is that network's private address; any other is kept.
   */
  privateAddress(address: string): string {
    const value = parseIpv4(address);
    if (value === undefined || value >>> 24 !== 127 || !this.snapshot) return address;
    const source = sourceOf(this.snapshot, address);
    return source.networkId !== undefined ? source.ip : address;
  }

  private async pass(): Promise<void> {
    const snapshot = await this.source.snapshot();
    this.snapshot = snapshot;
    const plan = kernelPlan(snapshot, this.options);
    for (const [name, done] of this.applied) {
      if (plan.namespaces.has(name)) continue;
      await this.host.removeNamespace(name, done.plan.vethName);
      this.applied.delete(name);
    }
    // One namespace that cannot be made holds back no other (it is tried again on the next pass).
    const ready: NamespacePlan[] = [];
    for (const [name, wanted] of plan.namespaces) {
      try {
        await this.bringUp(name, wanted);
        ready.push(wanted);
      } catch (error) {
        this.log.warn('kernel data plane could not make a namespace', { namespace: name, networkId: wanted.networkId, error: (error as Error).message });
      }
    }
    if (this.hostScript !== plan.hostScript) {
      await this.host.applyHostScript(plan.hostScript);
      this.hostScript = plan.hostScript;
    }
    this.byLink = new Map(ready.map((n) => [n.linkAddress, n]));
    const list: NamespaceList = {
      namespaces: ready.map((n) => ({ networkId: n.networkId, namespace: n.name, clientAddress: n.clientAddress, resolverAddress: n.resolverAddress })),
    };
    const text = `${JSON.stringify(list, null, 2)}\n`;
    if (text !== this.listed) {
      // Written whole, then renamed: a reader never sees half a list.
      await writeFile(`${this.options.listFile}.tmp`, text, { mode: 0o600 });
      await rename(`${this.options.listFile}.tmp`, this.options.listFile);
      this.listed = text;
    }
  }

  /** Makes the namespace as wanted (again when its link changed) and applies its script when its text changed. */
  private async bringUp(name: string, wanted: NamespacePlan): Promise<void> {
    let done = this.applied.get(name);
    if (done && !sameLink(done.plan, wanted)) {
      await this.host.removeNamespace(name, done.plan.vethName);
      this.applied.delete(name);
      done = undefined;
    }
    if (!done) {
      await this.host.addNamespace(wanted);
      done = { plan: wanted, script: undefined };
      this.applied.set(name, done);
    }
    done.plan = wanted;
    if (done.script !== wanted.script) {
      await this.host.applyNamespaceScript(name, wanted.script);
      done.script = wanted.script;
    }
  }
}

function sameLink(a: NamespacePlan, b: NamespacePlan): boolean {
  return a.vethName === b.vethName && a.linkAddress === b.linkAddress && a.clientAddress === b.clientAddress && a.resolverAddress === b.resolverAddress;
}
