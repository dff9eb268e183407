import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI } from '../support/server-process.js';
import { tempHome } from './support/cli-runner.js';

/**
 * Behaviour on a real terminal (a pty from util-linux `script`), not the PRIVLINK_FORCE_TTY
 * switch: terminal detection, colour, and the private key read without echo.
 */
const SCRIPT = '/usr/bin/script';

/** Runs `privlink <args>` on a pty; `answers` are typed (with Enter) each time `prompt` output appears. */
function onPty(args: string[], env: Record<string, string>, answers: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm', NODE_NO_WARNINGS: '1', ...env } });
    let output = '';
    let answered = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit on the pty:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // One answer per question mark prompt seen so far.
      const prompts = output.split('? ').length - 1;
      while (answered < prompts && answered < answers.length) child.stdin.write(`${answers[answered++]}\r`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('on a real terminal (pty)', { skip: existsSync(SCRIPT) ? false : 'util-linux script is not installed' }, () => {
  let home: string;
  let cleanup: () => void;
  before(() => ({ home, cleanup } = tempHome()));
  after(() => cleanup());

  test('config init asks each question and does not echo the private key', async () => {
    const secret = '3f1e2d4c-5b6a-4789-8a9b-0c1d2e3f4a5b';
    const { code, output } = await onPty(['config', 'init'], { HOME: home, NO_COLOR: '1' }, ['', 'pubkeyab', secret, '', '']);
    assert.equal(code, 0, output);
    assert.ok(!output.includes(secret), 'the private key was echoed');
    assert.match(output, /\? Public API Key pubkeyab\r\n/);
    assert.match(output, /\? Private API Key \r\n/);
    const path = join(home, '.config/privlink/config.toml');
    assert.match(readFileSync(path, 'utf8'), new RegExp(`private_api_key = "${secret}"`));
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('errors are coloured on a terminal unless NO_COLOR is set', async () => {
    const args = ['privateEndpoints', 'aws', 'describe', 'abc', '--projectId', '0123456789abcdef01234567'];
    const coloured = await onPty(args, { HOME: home });
    assert.equal(coloured.code, 1);
    assert.equal(coloured.output, "\u001b[31mError:\u001b[0m the provided value 'abc' is not a valid Id\r\n");
    const plain = await onPty(args, { HOME: home, NO_COLOR: '1' });
    assert.equal(plain.output, "Error: the provided value 'abc' is not a valid Id\r\n");
  });
});
