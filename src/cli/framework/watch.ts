import { CliError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';

/** One poll's outcome: keep going, done, or done with a failure (the watch then fails with it). */
export interface PollResult<T> {
  readonly done: boolean;
  readonly value: T;
  readonly failure?: string;
}

/**
 * Polls until done, as the Atlas CLI's `watch` does: a spinner on stderr when it is a terminal
 * (`| / - \`, 100 ms a frame, erased at the end), otherwise one `.` on stderr per poll that is not
 * yet done. A failure (`failure` set) or an error thrown by `poll` ends the watch with that
 * error, on a new line after any dots.
 */
export async function watchUntil<T>(io: CliIo, intervalMs: number, poll: () => Promise<PollResult<T>>): Promise<T> {
  const spinner = io.stderrIsTerminal ? startSpinner(io) : undefined;
  let dots = false;
  try {
    for (;;) {
      const result = await poll();
      if (result.done && result.failure !== undefined) throw new CliError(result.failure);
      if (result.done) return result.value;
      if (!spinner) {
        io.stderr.write('.');
        dots = true;
      }
      await sleep(intervalMs);
    }
  } catch (error) {
    // The error message must not continue the line of dots.
    if (dots) io.stderr.write('\n');
    throw error;
  } finally {
    spinner?.stop();
  }
}

const FRAMES = ['|', '/', '-', '\\'];

function startSpinner(io: CliIo): { stop(): void } {
  let frame = 0;
  io.stderr.write(FRAMES[0]!);
  const timer = setInterval(() => {
    frame = (frame + 1) % FRAMES.length;
    io.stderr.write(`\b${FRAMES[frame]}`);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      io.stderr.write('\b \b');
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Parses a Go duration (`4s`, `500ms`, `1m30s`) or a plain number of seconds into milliseconds;
 * undefined for anything else.
 */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed = pattern.lastIndex;
  }
  return consumed === text.length && text.length > 0 ? total : undefined;
}
