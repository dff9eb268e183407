import assert from 'node:assert/strict';
import { startServer, type ServerProcess } from '../../support/server-process.js';
import { normalise, runCliProcess, tempHome, type CliResult } from './cli-runner.js';

/**
 * A running privlink server plus a CLI user: a temporary HOME whose default profile was made by
 * `privlink config init --data-dir <server data dir>`, and a transcript of commands run, with
 * run-specific values (URLs, ids, keys) replaced by placeholders for golden comparison.
 */
export class CliSession {
  readonly placeholders: Record<string, string> = {};

  private constructor(
    readonly server: ServerProcess,
    readonly home: string,
    private readonly cleanupHome: () => void,
  ) {
    const b = server.bootstrap;
    // URLs vary in length with their port: fixed placeholders.
    this.placeholders[server.apiUrl] = '<API>';
    if (server.localCloudUrl) this.placeholders[server.localCloudUrl] = '<LOCALCLOUD>';
    this.name(b.projectId, '<PROJECT>');
    this.name(b.orgId, '<ORG>');
    this.name(b.publicKey, '<PUBKEY>');
    this.name(b.privateKey, '<PRIVATE_KEY>');
  }

  static async start(env?: Record<string, string>): Promise<CliSession> {
    const server = await startServer(env ? { env } : {});
    const { home, cleanup } = tempHome();
    const session = new CliSession(server, home, cleanup);
    const init = await session.run(['config', 'init', '--data-dir', server.dataDir]);
    assert.equal(init.code, 0, init.stderr);
    return session;
  }

  /**
   * Replace `value` by `placeholder` in transcripts from now on. A shorter placeholder is padded
   * to the value's length (`<SERVICE_1------------->`) so that aligned tables stay aligned.
   */
  name(value: string, placeholder: string): void {
    if (!value) return;
    const padding = value.length - placeholder.length;
    this.placeholders[value] = padding > 0 ? `${placeholder.slice(0, -1)}${'-'.repeat(padding)}>` : placeholder;
  }

  /** Runs `privlink <args>` (pipe mode unless `tty`). */
  run(args: readonly string[], options: { tty?: boolean; input?: string; env?: Record<string, string>; home?: string; timeoutMs?: number } = {}): Promise<CliResult> {
    return runCliProcess(args, { home: options.home ?? this.home, ...options });
  }

  /** Runs and asserts exit code 0. */
  async ok(args: readonly string[], options: { tty?: boolean; input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
    const result = await this.run(args, options);
    assert.equal(result.code, 0, `privlink ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
    return result;
  }

  /** `$ privlink …` / exit / stdout / stderr, placeholders applied. */
  transcript(args: readonly string[], result: CliResult, options: { tty?: boolean; env?: Record<string, string>; stderr?: (text: string) => string } = {}): string {
    const stderr = options.stderr ? options.stderr(result.stderr) : result.stderr;
    const env = Object.entries({ ...(options.tty ? { PRIVLINK_FORCE_TTY: '1' } : {}), ...(options.env ?? {}) })
      .map(([name, value]) => `${name}=${quote(value)} `)
      .join('');
    return normalise(`$ ${env}privlink ${args.map(quote).join(' ')}\n--- exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${stderr}--- end\n`, this.placeholders);
  }

  async destroy(): Promise<void> {
    await this.server.destroy();
    this.cleanupHome();
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Removes a watch's progress from stderr: dots in a pipe, spinner frames on a terminal. */
export function withoutProgress(stderr: string): string {
  return stderr.replace(/^\.+/, '').replace(/^[|/\\-](?:\u0008[|/\\-])*\u0008 \u0008/, '');
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
