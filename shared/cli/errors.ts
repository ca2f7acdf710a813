// Exit codes and the error a user can fix: printed as one line, never with a stack trace.

export const exitCodes = {
  ok: 0,
  /** Open findings at or above `--fail-on`. */
  findings: 1,
  /** An input could not be read or parsed, or the command line was wrong. */
  error: 2,
} as const;

export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = exitCodes.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
