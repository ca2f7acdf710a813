// Where reports go: standard output (coloured only for a terminal without NO_COLOR) or a file.
import { writeFile } from 'node:fs/promises';
import { printable } from '../report/table.ts';
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

/** A message for the terminal whose lines are ours but whose paths and names come from input: each line's control
 * characters (terminal escapes) are shown as `\u001b`, the line breaks between them kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** One line on standard error; everything in it is escaped, since paths and names in it come from input. */
export function warn(message: string): void {
  process.stderr.write(`periscope: ${printable(message)}\n`);
}
