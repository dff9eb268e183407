import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * A failure a command reports to its user: printed as `Error: <message>` on stderr, then the
 * process exits with `exitCode`. Commands throw these; the one handler in run-cli.ts prints them.
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  /** Printed as is, without the `Error: ` prefix (errors that mimic another tool's wording). */
  readonly bare: boolean = false;
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.ERROR,
  ) {
    super(message);
  }
}

/** A usage error (unknown or missing flag, bad argument, bad `-o` value): exit 1, before any API call. */
export class FlagError extends CliError {
  override readonly name = 'FlagError';
}

/** No API key is configured: exit 4. */
export class MissingCredentialsError extends CliError {
  override readonly name = 'MissingCredentialsError';
  constructor(binName = 'privlink') {
    super(`this action requires authentication\n\nTo set credentials using API keys, run: ${binName} config init`, EXIT.AUTHENTICATION);
  }
}

/**
 * The user declined or interrupted: exit 2. `notice` (e.g. "Private endpoint not deleted") is
 * printed on stderr instead of an `Error:` line.
 */
export class CancelledError extends CliError {
  override readonly name = 'CancelledError';
  constructor(readonly notice: string) {
    super(notice, EXIT.CANCELLED);
  }
}
