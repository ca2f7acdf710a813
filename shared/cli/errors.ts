// Exit codes and the error a user can fix: printed as one line, never with a stack trace.

/** When several apply, the first of 2 (an input error), 3 (incomplete coverage), 1 (findings) wins: a scan that could
 * not read everything says so before what it found, so a CI gate without access fails as such. */
export const exitCodes = {
  ok: 0,
  /** Open findings at or above `--fail-on`. */
  findings: 1,
  /** An input could not be read or parsed, or the command line was wrong. */
  error: 2,
  /** The scan did not read everything it tried (a kind failed or was forbidden): its findings are not the whole picture. */
  incomplete: 3,
} as const;

export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = exitCodes.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
