import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI } from './server-process.js';

// A process inside a customer network of the kernel data plane, as a user runs one: through
// `privlink localcloud exec --vpc <network id> --data-dir <dir> -- …`.

const run = promisify(execFile);
/** The client the kernel data-plane tests run inside a network (one JSON line of what it saw). */
const FIXTURE = new URL('../../../test/fixtures/namespace-client.mjs', import.meta.url).pathname;

/** What the fixture client saw: `tcp` mode (data, error code, closed, timeout) or `mongo` mode (ping, hello). */
export interface Seen {
  readonly outcome: string;
  readonly data?: string;
  readonly code?: string;
  readonly me?: string;
  readonly hosts?: string[];
  readonly message?: string;
  readonly ping?: unknown;
}

/** Runs a command inside network `networkId` of the privlink serving from `dataDir`; its standard output. */
export async function inNetwork(dataDir: string, networkId: string, ...command: string[]): Promise<string> {
  const { stdout } = await run('node', [CLI, 'localcloud', 'exec', '--vpc', networkId, '--data-dir', dataDir, '--', ...command], { timeout: 30_000 });
  return stdout;
}

/** The fixture client run inside the network with `args` (`tcp <host> <port> [<local address>]`, `mongo <uri>`): what it saw. */
export async function clientInNetwork(dataDir: string, networkId: string, ...args: string[]): Promise<Seen> {
  return JSON.parse((await inNetwork(dataDir, networkId, 'node', FIXTURE, ...args)).trim()) as Seen;
}

/** The namespaces `<dataDir>/kernel-namespaces.json` lists (none while it is not there). */
export function listedNamespaces(dataDir: string): Array<{ networkId: string; namespace: string; clientAddress: string; resolverAddress: string }> {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'kernel-namespaces.json'), 'utf8')) as { namespaces: ReturnType<typeof listedNamespaces> }).namespaces;
  } catch {
    return [];
  }
}

/** Waits until `check` holds (a throw counts as not yet), `timeoutMs` at most. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
