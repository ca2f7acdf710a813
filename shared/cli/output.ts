// Where reports go: standard output (coloured only for a terminal without NO_COLOR) or a file.
import { writeFile } from 'node:fs/promises';
import { CliError } from './errors.ts';

/** Colour only when writing to a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export async function writeReport(text: string, output: string | undefined): Promise<void> {
  if (output === undefined || output === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`cannot write the report to ${output}: ${why}`);
  }
}

export function warn(message: string): void {
  process.stderr.write(`periscope: ${message}\n`);
}
