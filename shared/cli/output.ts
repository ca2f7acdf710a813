// Where reports go: standard output (coloured only for a terminal without NO_COLOR) or a file, as one text or as a
// sequence of pieces written as they come (the JSON report of a million findings is never one string).
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { printable } from '../report/table.ts';
import { CliError } from './errors.ts';

/** Colour only when writing to a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export async function writeReport(text: string | Iterable<string>, output: string | undefined): Promise<void> {
  if (output === undefined || output === '-') {
    await writeAll(text, process.stdout);
    return;
  }
  try {
    const file = createWriteStream(output, { encoding: 'utf8' });
    // Opened (or failed to open) before anything is rendered into it.
    await settled(file, 'open');
    try {
      await writeAll(text, file);
    } catch (error) {
      file.destroy();
      throw error;
    }
    const finished = settled(file, 'finish');
    file.end();
    await finished;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`cannot write the report to ${output}: ${why}`);
  }
}

/** About this much text is gathered before each write: few writes, little held. */
const WRITE_BATCH = 1 << 16;

/** Writes the pieces in batches, waiting whenever the stream asks for it (a pipe read slowly), and fails with the
 * stream's error if it has one. */
async function writeAll(text: string | Iterable<string>, stream: Writable): Promise<void> {
  let failed: Error | undefined;
  const onError = (error: Error) => (failed = error);
  stream.on('error', onError);
  try {
    let batch = '';
    const flush = async () => {
      if (failed) throw failed;
      if (batch === '') return;
      const ready = stream.write(batch);
      batch = '';
      if (!ready) await settled(stream, 'drain');
    };
    for (const piece of typeof text === 'string' ? [text] : text) {
      batch += piece;
      if (batch.length >= WRITE_BATCH) await flush();
    }
    await flush();
  } finally {
    stream.off('error', onError);
  }
}

/** Resolves on `event`, rejects on the stream's error; leaves no listener behind either way. */
function settled(stream: Writable, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      stream.off(event, onEvent);
      stream.off('error', finish);
      if (error) reject(error);
      else resolve();
    };
    const onEvent = () => finish();
    stream.on(event, onEvent);
    stream.on('error', finish);
  });
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
