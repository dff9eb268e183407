/**
 * Everything a command may touch of its process: the environment and the three standard
 * streams, with whether each is a terminal. Built once in main.ts (the only place that reads
 * `process`), passed down to every command; tests build their own.
 *
 * Terminal mode (aligned tables, spinner, prompts, colour on stderr) follows the real streams,
 * unless `PRIVLINK_FORCE_TTY=1` (every stream counts as a terminal; prompts then read lines from
 * whatever stdin is) or `PRIVLINK_FORCE_TTY=0` (none does). Colour needs stderr on a terminal and
 * no `NO_COLOR` (any value) and `TERM` other than `dumb`.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** stdout is a terminal: human output is aligned with the tabwriter. */
  readonly stdoutIsTerminal: boolean;
  /** stderr is a terminal: `watch` shows a spinner instead of dots. */
  readonly stderrIsTerminal: boolean;
  /** stdin is a terminal: `delete` asks for confirmation, `config init` asks questions. */
  readonly stdinIsTerminal: boolean;
  /** ANSI colour on stderr. */
  readonly color: boolean;
  /** Registers a Ctrl-C handler for the duration of a command; returns the unregister function. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process at once (Ctrl-C during a prompt or a watch). */
  exit(code: number): never;
}

export interface TextSink {
  write(text: string): unknown;
}

/** The io of this process. */
export function processIo(): CliIo {
  const env = process.env;
  const force = env.PRIVLINK_FORCE_TTY;
  const tty = (real: boolean | undefined) => (force === '1' ? true : force === '0' ? false : Boolean(real));
  const stderrIsTerminal = tty(process.stderr.isTTY);
  return {
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdoutIsTerminal: tty(process.stdout.isTTY),
    stderrIsTerminal,
    stdinIsTerminal: tty(process.stdin.isTTY),
    color: stderrIsTerminal && env.NO_COLOR === undefined && env.TERM !== 'dumb',
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    exit(code) {
      process.exit(code);
    },
  };
}

/** Wraps `text` in an ANSI colour when `enabled`. */
export function paint(enabled: boolean, color: 'red' | 'green' | 'bold' | 'cyan', text: string): string {
  if (!enabled) return text;
  const codes = { red: 31, green: 32, bold: 1, cyan: 36 } as const;
  return `\u001b[${codes[color]}m${text}\u001b[0m`;
}
