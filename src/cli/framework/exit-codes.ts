/**
 * The privlink CLI's exit codes (`privlink help exit-codes`, docs/cli.md). Scripts may rely on
 * them; they are never renumbered.
 */
export const EXIT = {
  /** The command did what was asked. */
  OK: 0,
  /** Any error: a flag or argument error, an API error (4xx other than 401, 5xx), the server unreachable, a watched resource FAILED. */
  ERROR: 1,
  /** Cancelled: a confirmation prompt was declined, input ended, or Ctrl-C was pressed. */
  CANCELLED: 2,
  /** Authentication: the API answered 401, or no API key is configured. */
  AUTHENTICATION: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The text of `privlink help exit-codes`. */
export const EXIT_CODES_HELP = `Exit codes of privlink commands:

  0   OK              the command succeeded (a watch ended on AVAILABLE / IDLE)
  1   error           flag or argument error, API error (HTTP 4xx other than 401, 5xx),
                      server unreachable, or a watched resource ended FAILED
  2   cancelled       a confirmation prompt was declined, input ended, or Ctrl-C was pressed
  4   authentication  the API answered HTTP 401, or no API key is configured

Data goes to stdout; progress, prompts and errors go to stderr. API errors are printed as the
Atlas CLI prints them:
  Error: <URL> <METHOD>: HTTP <status> <Reason> (Error code: "<errorCode>") Detail: <detail> Reason: <reason>. Params: [<p1> <p2>]
`;
