import { CancelledError } from './cli-errors.js';
import { paint, type CliIo } from './cli-io.js';

/**
 * Questions on stderr, answers from stdin, one line each (Survey's look: `? question (y/N) `).
 * End of input or Ctrl-C cancels (CancelledError, exit 2). On a real terminal, hidden answers
 * (private keys) are read in raw mode without echo.
 */
export class Prompter {
  private buffer = '';
  private ended = false;
  private waiting: (() => void) | undefined;
  private listening = false;

  constructor(private readonly io: CliIo) {}

  /** Asks a yes/no question; the default (empty answer) is no. */
  async confirm(question: string): Promise<boolean> {
    const answer = await this.ask(`${question} (y/N)`);
    return /^y(es)?$/i.test(answer.trim());
  }

  /** Asks for a value; an empty answer gives `defaultValue` (shown in parentheses). */
  async ask(question: string, options: { defaultValue?: string; hidden?: boolean } = {}): Promise<string> {
    const suffix = options.defaultValue ? ` (${options.defaultValue})` : '';
    const hidden = Boolean(options.hidden && this.io.stdin.isTTY && this.io.stdin.setRawMode);
    // Echo goes off before the question shows, so nothing typed after it can be echoed.
    if (hidden) this.io.stdin.setRawMode!(true);
    this.io.stderr.write(`${paint(this.io.color, 'green', '?')} ${paint(this.io.color, 'bold', question)}${suffix} `);
    const line = hidden ? await this.readHidden() : await this.readLine();
    if (hidden) this.io.stderr.write('\n');
    // A real terminal echoes the answer; answers read from a pipe (PRIVLINK_FORCE_TTY=1) are
    // echoed here so the transcript reads the same. Hidden answers are never echoed.
    else if (!this.io.stdin.isTTY) this.io.stderr.write(options.hidden ? '\n' : `${line}\n`);
    const answer = line.trim();
    return answer === '' && options.defaultValue !== undefined ? options.defaultValue : answer;
  }

  /** Stops reading stdin so the process can exit. */
  close(): void {
    if (this.listening) {
      this.io.stdin.removeListener('data', this.onData);
      this.io.stdin.removeListener('end', this.onEnd);
      this.io.stdin.pause();
      this.listening = false;
    }
  }

  private readonly onData = (chunk: Buffer | string) => {
    this.buffer += chunk.toString();
    this.waiting?.();
  };

  private readonly onEnd = () => {
    this.ended = true;
    this.waiting?.();
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.io.stdin.on('data', this.onData);
    this.io.stdin.on('end', this.onEnd);
    this.io.stdin.resume();
  }

  private async readLine(): Promise<string> {
    this.listen();
    for (;;) {
      const newline = this.buffer.search(/\r?\n|\r/);
      if (newline !== -1) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline).replace(/^\r?\n|^\r/, '');
        return line;
      }
      if (this.ended) {
        if (this.buffer !== '') {
          const line = this.buffer;
          this.buffer = '';
          return line;
        }
        this.io.stderr.write('\n');
        throw new CancelledError('input ended before an answer was given');
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }

  /** Reads a line in raw mode (set by the caller before the question was shown), then restores the terminal. */
  private async readHidden(): Promise<string> {
    try {
      this.listen();
      let answer = '';
      for (;;) {
        while (this.buffer.length > 0) {
          const c = this.buffer[0]!;
          this.buffer = this.buffer.slice(1);
          if (c === '\r' || c === '\n') return answer;
          if (c === '\u0003') throw new CancelledError('cancelled');
          if (c === '\u0004') {
            if (answer === '') throw new CancelledError('input ended before an answer was given');
            return answer;
          }
          if (c === '\u007f' || c === '\b') answer = answer.slice(0, -1);
          else answer += c;
        }
        if (this.ended) return answer;
        await new Promise<void>((resolve) => (this.waiting = resolve));
        this.waiting = undefined;
      }
    } finally {
      this.io.stdin.setRawMode!(false);
    }
  }
}
