import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import assert from 'node:assert/strict';
import type { CliIo } from '../../../src/cli/framework/cli-io.js';
import { runPrivlink } from '../../../src/cli/program.js';
import { CLI, NODE_FLAGS } from '../../support/server-process.js';

/** What one CLI run produced. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Environment on top of a minimal one (PATH, HOME=`home`, NODE_NO_WARNINGS). Never the test runner's own. */
  readonly env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  readonly input?: string;
  /** `PRIVLINK_FORCE_TTY=1`: terminal mode (aligned tables, spinner, prompts). Colour stays off unless `color`. */
  readonly tty?: boolean;
  readonly color?: boolean;
  readonly home: string;
  /** Called with the child once spawned (e.g. to send SIGINT). */
  readonly onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  readonly timeoutMs?: number;
}

/** The environment a CLI subprocess gets: nothing of the test runner's but PATH. */
export function cliEnv(options: Pick<RunOptions, 'env' | 'tty' | 'color' | 'home'>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home,
    NODE_NO_WARNINGS: '1',
    ...(options.tty ? { PRIVLINK_FORCE_TTY: '1' } : {}),
    ...(options.tty && !options.color ? { NO_COLOR: '1' } : {}),
    ...(options.env ?? {}),
  };
}

/** Runs the built CLI (`node dist/src/cli/main.js …`) as a subprocess, like a user or a script would. */
export function runCliProcess(args: readonly string[], options: RunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, CLI, ...args], { env: cliEnv(options), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`privlink ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}

/** Runs the CLI in this process with in-memory streams (fast; for parsing, help and config). */
export async function runInProcess(argv: readonly string[], options: { env?: Record<string, string>; input?: string; tty?: boolean; home: string }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const io: CliIo = {
    env: { HOME: options.home, ...(options.env ?? {}) },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin,
    stdoutIsTerminal: options.tty ?? false,
    stderrIsTerminal: options.tty ?? false,
    stdinIsTerminal: options.tty ?? false,
    color: false,
    onInterrupt: () => () => undefined,
    exit: (code: number) => {
      throw new Error(`exit(${code}) called in process`);
    },
  };
  const code = await runPrivlink(argv, io);
  return { code, signal: null, stdout, stderr };
}

/** A fresh temporary HOME (removed by the returned cleanup). */
export function tempHome(): { home: string; cleanup(): void } {
  const base = process.env.PRIVLINK_TEST_SCRATCH ?? join(tmpdir(), 'privlink-test-scratch');
  mkdirSync(base, { recursive: true });
  const home = mkdtempSync(join(base, 'cli-home-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

const GOLDEN_DIR = new URL('../../../../test/cli/golden/', import.meta.url).pathname;

/**
 * Compares `actual` with `test/cli/golden/<name>.txt` exactly. With PRIVLINK_UPDATE_GOLDEN=1 the
 * file is (re)written instead — review the diff before committing.
 */
export function assertGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, `${name}.txt`);
  if (process.env.PRIVLINK_UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, 'utf8');
  } catch {
    assert.fail(`golden file ${path} is missing; run with PRIVLINK_UPDATE_GOLDEN=1 to create it.\nactual:\n${actual}`);
  }
  assert.equal(actual, expected, `output differs from golden ${name}.txt`);
}

/** Replaces each known value by its placeholder (longest first), e.g. {'6a79…': '<ID>'}. */
export function normalise(text: string, replacements: Record<string, string>): string {
  let out = text;
  for (const value of Object.keys(replacements).sort((a, b) => b.length - a.length)) {
    if (value) out = out.split(value).join(replacements[value]!);
  }
  return out;
}
