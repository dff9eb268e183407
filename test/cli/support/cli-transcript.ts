import assert from 'node:assert/strict';
import { normalise, runCliProcess, type CliResult } from './cli-runner.js';
import { withoutProgress } from './cli-session.js';

/**
 * A CLI walkthrough's transcript: runs the built CLI as a subprocess in a test home, records the
 * commands asked for (`$ privlink …`, exit code, stdout, stderr without progress) with unstable
 * values replaced by placeholders, for a golden file.
 */
export class CliTranscript {
  /** Value → placeholder, applied to every recorded entry. */
  readonly placeholders: Record<string, string> = {};
  /** The recorded entries, in order. */
  readonly entries: string[] = [];

  constructor(private readonly home: () => string) {}

  /** Replace `value` by `placeholder`, padded to the value's length so aligned tables stay aligned. */
  name(value: string, placeholder: string): void {
    const padding = value.length - placeholder.length;
    this.placeholders[value] = padding > 0 ? `${placeholder.slice(0, -1)}${'-'.repeat(padding)}>` : placeholder;
  }

  run(args: string[], options: { tty?: boolean; timeoutMs?: number } = {}): Promise<CliResult> {
    return runCliProcess(args, { home: this.home(), ...options });
  }

  record(args: string[], result: CliResult, options: { tty?: boolean } = {}): void {
    this.entries.push(
      normalise(
        `$ ${options.tty ? 'PRIVLINK_FORCE_TTY=1 ' : ''}privlink ${args.join(' ')}\n--- exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${withoutProgress(result.stderr)}--- end\n`,
        this.placeholders,
      ),
    );
  }

  /** Runs a command that must succeed (exit 0); records it when asked. */
  async ok(args: string[], options: { tty?: boolean; record?: boolean } = {}): Promise<CliResult> {
    const result = await this.run(args, options);
    assert.equal(result.code, 0, `privlink ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
    if (options.record) this.record(args, result, options);
    return result;
  }
}
