import { Command, CommanderError } from 'commander';
import { CancelledError, CliError, FlagError } from './cli-errors.js';
import { paint, type CliIo } from './cli-io.js';
import { findUnknownCommand } from './command-suggestions.js';
import { EXIT } from './exit-codes.js';

/**
 * Runs one command line and returns its exit code. Every failure ends here: CliErrors print
 * `Error: <message>` on stderr (cancellations print their notice), commander's parse errors are
 * reworded as cobra words them, and anything unexpected is reported as an internal error.
 */
export async function runCli(argv: readonly string[], io: CliIo, build: (io: CliIo) => Command): Promise<number> {
  const program = build(io);
  try {
    // An unknown command is reported before any flag error, with suggestions (as cobra does).
    const unknown = findUnknownCommand(program, argv);
    if (unknown) throw unknown;
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    return report(error, io);
  }
}

/** Settings every command inherits (set on the root before subcommands are added). */
export function configureRoot(program: Command, io: CliIo): void {
  program
    .exitOverride()
    .showSuggestionAfterError(false)
    .helpCommand(false)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Errors are printed by report(), reworded.
      outputError: () => undefined,
    });
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return error.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    return printError(io, new FlagError(translateCommanderError(error)));
  }
  if (error instanceof CancelledError) {
    io.stderr.write(`${error.notice}\n`);
    return error.exitCode;
  }
  if (error instanceof CliError) return printError(io, error);
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`${paint(io.color, 'red', 'Error:')} internal error: ${message}\n`);
  return EXIT.ERROR;
}

function printError(io: CliIo, error: CliError): number {
  if (error.bare) {
    io.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  io.stderr.write(`${paint(io.color, 'red', 'Error:')} ${error.message}\n`);
  return error.exitCode;
}

/** commander's messages → pflag/cobra's. */
function translateCommanderError(error: CommanderError): string {
  const message = error.message.replace(/^error: /, '');
  switch (error.code) {
    case 'commander.unknownOption': {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      if (flag.startsWith('--')) return `unknown flag: ${flag.split('=')[0]}`;
      return `unknown shorthand flag: '${flag[1] ?? ''}' in ${flag}`;
    }
    case 'commander.optionMissingArgument': {
      const flags = /option '([^']+)'/.exec(message)?.[1] ?? '';
      const long = /--[\w-]+/.exec(flags)?.[0] ?? flags;
      return `flag needs an argument: ${long}`;
    }
    case 'commander.unknownCommand':
      return `unknown command "${/'([^']+)'/.exec(message)?.[1] ?? ''}"`;
    default:
      return message;
  }
}
