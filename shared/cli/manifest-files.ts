// Reading manifests from the command line's paths: files, directories (walked, sorted), and `-` for stdin.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  applyKustomizeNamespace,
  kustomizationFileNames,
  ManifestStream,
  parseKustomization,
  type ManifestError,
  type ManifestObject,
} from '../kube/manifests.ts';
import type { ControllerIndex } from '../kube/shape.ts';

const manifestExtensions = ['.yaml', '.yml', '.json'] as const;

export interface ReadManifests {
  objects: ManifestObject[];
  errors: ManifestError[];
  /** What the user should know that cost nothing of the input (a link back to a directory being read, not followed). */
  notices: ManifestError[];
  /** Files read, in order. */
  files: string[];
}

/** Standard input, whole or as chunks of text. */
export type ReadStdin = () => Promise<string> | AsyncIterable<string>;

/** Standard input as UTF-8 text chunks, read as they come. */
function readStdin(): AsyncIterable<string> {
  return process.stdin.setEncoding('utf8');
}

/** Read chunks are 1 MiB: few enough calls, and a document's text is the most held at once. */
const CHUNK_BYTES = 2 ** 20;

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links (a link loop)';
  return error instanceof Error ? error.message : String(error);
}

/** Why a symbolic link cannot be followed: a dangling target, a loop of links, or the target's own problem. */
function linkReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'a broken symbolic link (its target does not exist)';
  if (code === 'ELOOP') return 'a symbolic link that loops (too many levels of symbolic links)';
  return `a symbolic link whose target cannot be read: ${reason(error)}`;
}

const isManifestName = (name: string): boolean => manifestExtensions.some((extension) => name.toLowerCase().endsWith(extension));

/** The kustomization files found in each walked directory (more than one is an error, as for kustomize). */
type Kustomizations = Map<string, string[]>;

/** A directory's identity: two paths (a symbolic link and its target) to one directory have the same. */
type DirectoryId = string;

async function directoryId(path: string): Promise<DirectoryId> {
  const info = await stat(path, { bigint: true });
  return `${info.dev}:${info.ino}`;
}

interface Walk {
  /** Directories read so far: each real directory is read once, whatever links lead to it. */
  seen: Set<DirectoryId>;
  /** The directories from the walked path down to the current one, to tell a loop from a second link. */
  ancestors: Map<DirectoryId, string>;
  files: string[];
  errors: ManifestError[];
  notices: ManifestError[];
  kustomizations: Kustomizations;
}

/**
 * Manifest files under a directory, depth first, sorted by name; hidden entries (`.git`, `.github`) are skipped.
 * Kustomization files are not manifests: they are collected by directory instead. A link back to a directory being
 * walked (a loop) is reported and not followed (its files are read anyway); a second link to a directory already read
 * is skipped. A broken or looping link, or an entry that cannot be read, is an input error: it may have held manifests.
 */
async function walk(dir: string, id: DirectoryId, state: Walk): Promise<void> {
  state.seen.add(id);
  state.ancestors.set(id, dir);
  try {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      state.errors.push({ file: dir, message: `cannot read directory: ${reason(error)}` });
      return;
    }
    const names = entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target;
        try {
          target = await stat(path);
        } catch (error) {
          // A link that leads nowhere may have been a manifest: an input error, so nothing it held is resolved.
          state.errors.push({ file: path, message: `cannot read: ${linkReason(error)}` });
          continue;
        }
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDirectory) {
        let childId;
        try {
          childId = await directoryId(path);
        } catch (error) {
          state.errors.push({ file: path, message: `cannot read directory: ${reason(error)}` });
          continue;
        }
        const ancestor = state.ancestors.get(childId);
        if (ancestor !== undefined) {
          state.notices.push({ file: path, message: `not followed: a symbolic link back to ${ancestor}, which is being read (a directory loop)` });
        } else if (!state.seen.has(childId)) await walk(path, childId, state);
      } else if (isFile && (kustomizationFileNames as readonly string[]).includes(entry.name)) {
        state.kustomizations.set(dir, [...(state.kustomizations.get(dir) ?? []), path]);
      } else if (isFile && isManifestName(entry.name)) state.files.push(path);
    }
  } finally {
    state.ancestors.delete(id);
  }
}

/**
 * Every object in the given paths. A path that cannot be read, and every malformed document, becomes an error
 * naming file (and line); everything else is still read.
 */
export async function readManifests(paths: readonly string[], stdin: ReadStdin = readStdin): Promise<ReadManifests> {
  const result: ReadManifests = { objects: [], errors: [], notices: [], files: [] };
  const controllers: ControllerIndex = new Map();
  /** Reads one input chunk by chunk: only the document being parsed is held, never the whole text. Pods are
   * summarised against the controllers read before them, unless a kustomization may move them to another namespace. */
  const parse = async (chunks: string | AsyncIterable<string>, file: string, kustomized = false): Promise<void> => {
    const sink = {
      object: (object: ManifestObject) => result.objects.push(object),
      error: (error: ManifestError) => result.errors.push(error),
      notice: (notice: ManifestError) => result.notices.push(notice),
    };
    const stream = new ManifestStream(file, sink, kustomized ? {} : { controllers });
    if (typeof chunks === 'string') stream.write(chunks);
    else for await (const chunk of chunks) stream.write(chunk);
    stream.end();
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
      await parse(await stdin(), '-');
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
    const kustomizations: Kustomizations = new Map();
    if (info.isDirectory()) {
      const state: Walk = { seen: new Set(), ancestors: new Map(), files, errors: result.errors, notices: result.notices, kustomizations };
      await walk(path, await directoryId(path), state);
      if (files.length === 0) {
        const besides = kustomizations.size > 0 ? ' besides kustomization files (`kustomize build` is not run: scan its output with -f -)' : '';
        result.errors.push({ file: path, message: `no ${manifestExtensions.join(', ')} files in this directory${besides}` });
      }
    } else {
      files.push(path);
    }
    const namespaces = await kustomizeNamespaces(kustomizations, files, result.errors);
    // The objects of each kustomization, by index in result.objects: its namespace applies to them together (a
    // binding's ServiceAccount subject follows a ServiceAccount declared in another file of the same kustomization).
    const groups = new Map<string, { namespace: string; indices: number[] }>();
    for (const file of files) {
      const first = result.objects.length;
      try {
        await parse(createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES }), file, namespaces.has(file));
      } catch (error) {
        result.errors.push({ file, message: `cannot read: ${reason(error)}` });
        continue;
      }
      const kustomization = namespaces.get(file);
      if (!kustomization) continue;
      const group = groups.get(kustomization.file) ?? { namespace: kustomization.namespace, indices: [] };
      for (let index = first; index < result.objects.length; index += 1) group.indices.push(index);
      groups.set(kustomization.file, group);
    }
    for (const { namespace, indices } of groups.values()) {
      const namespaced = applyKustomizeNamespace(
        indices.map((index) => result.objects[index]!),
        namespace,
      );
      indices.forEach((index, position) => (result.objects[index] = namespaced[position]!));
    }
  }
  return result;
}

interface KustomizeNamespace {
  /** The kustomization file. */
  file: string;
  namespace: string;
}

/**
 * The namespace each file gets from the `namespace:` of a kustomization in its own directory: the files its
 * `resources` names, or every file of the directory when it has no `resources`. Nothing else of the kustomization is
 * applied (no patches, no bases or overlays in other directories).
 */
async function kustomizeNamespaces(
  kustomizations: Kustomizations,
  files: readonly string[],
  errors: ManifestError[],
): Promise<Map<string, KustomizeNamespace>> {
  const namespaces = new Map<string, KustomizeNamespace>();
  for (const [dir, found] of kustomizations) {
    const [file] = found as [string, ...string[]];
    if (found.length > 1) {
      errors.push({
        file: dir,
        message: `found more than one kustomization file (${found.map((path) => basename(path)).join(', ')}); kustomize refuses this too, so no namespace was applied: keep one`,
      });
      continue;
    }
    let text;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      errors.push({ file, message: `cannot read: ${reason(error)}` });
      continue;
    }
    const parsed = parseKustomization(text, file);
    errors.push(...parsed.errors);
    const namespace = parsed.kustomization?.namespace;
    if (namespace === undefined) continue;
    const here = files.filter((path) => resolve(dirname(path)) === resolve(dir));
    const listed = parsed.kustomization?.resources;
    const named = listed ? new Set(listed.map((entry) => resolve(dir, entry))) : undefined;
    for (const path of here) {
      if (!named || named.has(resolve(path))) namespaces.set(path, { file, namespace });
    }
  }
  return namespaces;
}

/** The name of a manifest scan: the file or directory name for one path, `stdin` for `-`, `manifests` otherwise. */
export function manifestScanName(paths: readonly string[]): string {
  if (paths.length !== 1) return 'manifests';
  const [path] = paths as [string];
  if (path === '-') return 'stdin';
  return basename(resolve(path));
}
