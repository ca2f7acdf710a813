// Reading manifests from the command line's paths: files, directories (walked, sorted), and `-` for stdin.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseManifests, type ManifestError, type ManifestObject } from '../kube/manifests.ts';

export const manifestExtensions = ['.yaml', '.yml', '.json'] as const;

export interface ReadManifests {
  objects: ManifestObject[];
  errors: ManifestError[];
  /** Files read, in order. */
  files: string[];
}

export type ReadStdin = () => Promise<string>;

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}

const isManifestName = (name: string): boolean => manifestExtensions.some((extension) => name.toLowerCase().endsWith(extension));

/** Manifest files under a directory, depth first, sorted by name; hidden entries (`.git`, `.github`) are skipped. */
async function walk(dir: string, seen: Set<string>, files: string[], errors: ManifestError[]): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    errors.push({ file: dir, message: `cannot read directory: ${reason(error)}` });
    return;
  }
  const names = entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      isDirectory = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDirectory) await walk(path, seen, files, errors);
    else if (isFile && isManifestName(entry.name)) files.push(path);
  }
}

/**
 * Every object in the given paths. A path that cannot be read, and every malformed document, becomes an error
 * naming file (and line); everything else is still read.
 */
export async function readManifests(paths: readonly string[], stdin: ReadStdin = readStdin): Promise<ReadManifests> {
  const result: ReadManifests = { objects: [], errors: [], files: [] };
  const parse = (text: string, file: string): void => {
    const parsed = parseManifests(text, file);
    result.objects.push(...parsed.objects);
    result.errors.push(...parsed.errors);
    result.files.push(file);
  };
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) {
        result.errors.push({ file: '-', message: 'standard input was given more than once; it was read once' });
        continue;
      }
      stdinRead = true;
      parse(await stdin(), '-');
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      result.errors.push({ file: path, message: `cannot read: ${reason(error)}` });
      continue;
    }
    const files: string[] = [];
    if (info.isDirectory()) {
      await walk(path, new Set(), files, result.errors);
      if (files.length === 0) {
        result.errors.push({ file: path, message: `no ${manifestExtensions.join(', ')} files in this directory` });
      }
    } else {
      files.push(path);
    }
    for (const file of files) {
      let text;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        result.errors.push({ file, message: `cannot read: ${reason(error)}` });
        continue;
      }
      parse(text, file);
    }
  }
  return result;
}

/** The name of a manifest scan: the file or directory name for one path, `stdin` for `-`, `manifests` otherwise. */
export function manifestScanName(paths: readonly string[]): string {
  if (paths.length !== 1) return 'manifests';
  const [path] = paths as [string];
  if (path === '-') return 'stdin';
  return basename(resolve(path));
}
