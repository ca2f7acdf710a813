// The exceptions file: reviewed, owned, expiring suppressions of findings, parsed from YAML text (no file I/O here).
import { basename, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import * as z from 'zod';
import type { Finding, Suppression } from '../model/finding.ts';
import type { KubeObject } from '../model/kube.ts';
import type { ExceptionMatcher } from './exceptions.ts';

const pattern = z.string().trim().min(1, 'must not be empty');

const dateText = z
  .string()
  .trim()
  .refine((text) => expiryInstant(text) !== undefined, 'must be a date (YYYY-MM-DD) or an ISO 8601 time');

const entrySchema = z.strictObject({
  /** A stable name for reports; derived from the match fields when absent. */
  id: pattern.optional(),
  rule: pattern,
  cluster: pattern.optional(),
  namespace: pattern.optional(),
  kind: pattern.optional(),
  name: pattern.optional(),
  reason: z.string().trim().min(10, 'must say why the finding is acceptable, in at least 10 characters'),
  owner: pattern,
  expires: z.union([dateText, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
});

export interface ExceptionEntry {
  id: string;
  /** 0-based position in the file's list, and 1-based line where the entry starts. */
  index: number;
  line: number;
  rule: string;
  cluster?: string;
  namespace?: string;
  kind?: string;
  name?: string;
  reason: string;
  owner: string;
  /** As written: a date (valid through that day, UTC) or a time. */
  expires?: string;
}

export interface ExceptionsFileIssue {
  file: string;
  line: number;
  /** 0-based index of the entry, when the problem is inside one. */
  index?: number;
  field?: string;
  message: string;
}

export class ExceptionsFileError extends Error {
  override readonly name = 'ExceptionsFileError';
  readonly issues: ExceptionsFileIssue[];

  constructor(issues: ExceptionsFileIssue[]) {
    super(
      `Invalid exceptions file:\n${issues
        .map((i) => `  ${i.file}:${i.line}: ${i.index !== undefined ? `entry ${i.index + 1}` : 'file'}` +
          `${i.field ? `, field "${i.field}"` : ''}: ${i.message}`)
        .join('\n')}\nFix these entries; each needs rule, reason (10+ characters) and owner.`,
    );
    this.issues = issues;
  }
}

/** The end of an exception's validity: the end of the day for a date, the instant for a time. */
function expiryInstant(expires: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    const start = Date.parse(`${expires}T00:00:00.000Z`);
    return Number.isNaN(start) ? undefined : start + 86_400_000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(expires)) return undefined;
  const instant = Date.parse(expires);
  return Number.isNaN(instant) ? undefined : instant;
}

function lineOf(node: YamlNode | null | undefined, counter: LineCounter): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : counter.linePos(offset).line;
}

/** Parses and validates an exceptions file: a list of entries, or `exceptions:` holding one. Throws with every problem. */
export function parseExceptionsFile(text: string, file: string = 'exceptions.yaml'): ExceptionEntry[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ExceptionsFileError(
      doc.errors.map((e) => ({ file, line: counter.linePos(e.pos[0]).line, message: e.message.split('\n')[0] ?? e.message })),
    );
  }
  let list: YamlNode | null | undefined = doc.contents;
  if (list === null || list === undefined) return [];
  if (isMap(list)) {
    const keys = list.items.map((pair) => String((pair.key as { value?: unknown } | null)?.value ?? pair.key));
    const unknown = keys.filter((k) => k !== 'exceptions' && k !== 'version');
    if (unknown.length > 0) {
      throw new ExceptionsFileError([
        { file, line: lineOf(list, counter), message: `unknown top-level key(s) ${unknown.join(', ')}; expected "exceptions:"` },
      ]);
    }
    list = list.get('exceptions', true);
    if (list === undefined || list === null) return [];
  }
  if (!isSeq(list)) {
    throw new ExceptionsFileError([{ file, line: lineOf(list, counter), message: 'expected a list of exception entries' }]);
  }
  const issues: ExceptionsFileIssue[] = [];
  const entries: ExceptionEntry[] = [];
  list.items.forEach((node, index) => {
    const line = lineOf(node as YamlNode, counter);
    const value: unknown = (node as YamlNode & { toJSON(): unknown }).toJSON?.() ?? null;
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const unrecognized = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
        const field = unrecognized?.[0] ?? (issue.path[0] === undefined ? undefined : String(issue.path[0]));
        const fieldNode = field !== undefined && isMap(node) ? node.items.find((p) => String((p.key as { value?: unknown })?.value) === field) : undefined;
        const issueLine = fieldNode ? lineOf(fieldNode.key as YamlNode, counter) : line;
        const message = unrecognized
          ? `unknown field(s) ${unrecognized.join(', ')}; allowed: ${Object.keys(entrySchema.shape).join(', ')}`
          : issue.path.length === 0 ? 'expected a mapping with rule, reason and owner' : issue.message;
        const entryIssue: ExceptionsFileIssue = { file, line: issueLine, index, message };
        if (field !== undefined) entryIssue.field = field;
        issues.push(entryIssue);
      }
      return;
    }
    const data = parsed.data;
    const entry: ExceptionEntry = {
      id: data.id ?? [data.rule, data.cluster ?? '*', data.namespace ?? '*', data.kind ?? '*', data.name ?? '*'].join('/'),
      index,
      line,
      rule: data.rule,
      reason: data.reason,
      owner: data.owner,
    };
    for (const key of ['cluster', 'namespace', 'kind', 'name', 'expires'] as const) {
      const v = data[key];
      if (v !== undefined) entry[key] = v;
    }
    entries.push(entry);
  });
  if (issues.length > 0) throw new ExceptionsFileError(issues.sort((a, b) => a.line - b.line));
  return entries;
}

/** A compiled glob: `*` any run of characters, `?` one character, everything else literal; anchored. */
export interface Glob {
  test(value: string): boolean;
}

/** Counts the character comparisons a match makes: how a test shows matching is linear, without a timer. */
export interface GlobMeter {
  steps: number;
}

export function compileGlob(glob: string): Glob {
  const segments = glob.split('*');
  return { test: (value) => matchSegments(segments, value) };
}

/** Whether `glob` matches all of `value`. No regular expression and no backtracking: the literal runs between the
 * stars are found left to right, each at its first place after the previous one (taking the first place never loses
 * a match, since the star before it can absorb anything), so each place in `value` is tried as the start of at most
 * one run: at most |value| × |glob| comparisons, whatever the number of stars (a backtracking regular expression
 * takes about |value|^stars). */
export function matchGlob(glob: string, value: string, meter?: GlobMeter): boolean {
  return matchSegments(glob.split('*'), value, meter);
}

function matchSegments(segments: readonly string[], value: string, meter?: GlobMeter): boolean {
  const first = segments[0] as string;
  if (segments.length === 1) return first.length === value.length && runAt(first, value, 0, meter);
  const last = segments[segments.length - 1] as string;
  const end = value.length - last.length;
  if (first.length > end || !runAt(first, value, 0, meter) || !runAt(last, value, end, meter)) return false;
  let position = first.length;
  for (let index = 1; index < segments.length - 1; index += 1) {
    const run = segments[index] as string;
    let found = -1;
    for (let at = position; at + run.length <= end; at += 1) {
      if (runAt(run, value, at, meter)) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    position = found + run.length;
  }
  return true;
}

/** Whether the literal run (where `?` is any one character) matches `value` at `at`. */
function runAt(run: string, value: string, at: number, meter: GlobMeter | undefined): boolean {
  for (let index = 0; index < run.length; index += 1) {
    if (meter) meter.steps += 1;
    const expected = run.charCodeAt(index);
    if (expected !== 63 /* ? */ && expected !== value.charCodeAt(at + index)) return false;
  }
  return true;
}

/**
 * The cluster's short name from its id, as reports show it: the ARN's `cluster/<name>`, what follows `kubeconfig:`,
 * and for a manifest scan (`manifests:<paths as typed>`) the name the CLI gives it (see manifestScanName): the file or
 * directory name for one path (`k8s` for `k8s/`), `stdin` for `-`, `manifests` for several paths.
 */
export function clusterNameOf(clusterId: string): string {
  const arn = /^arn:[^:]+:eks:[^:]*:[^:]*:cluster\/(.+)$/.exec(clusterId);
  if (arn?.[1]) return arn[1];
  const kubeconfig = /^kubeconfig:(.*)$/.exec(clusterId);
  if (kubeconfig) return kubeconfig[1]!;
  const manifests = /^manifests:(.*)$/.exec(clusterId);
  if (!manifests) return clusterId;
  const paths = manifests[1]!.split(',');
  if (paths.length !== 1) return 'manifests';
  const [path] = paths as [string];
  return path === '-' ? 'stdin' : basename(resolve(path));
}

/** Every value a `cluster:` selector is matched against: the id, the short name, and a manifest scan's paths as typed. */
function clusterSelectorValues(clusterId: string): string[] {
  const values = [clusterId, clusterNameOf(clusterId)];
  const manifests = /^manifests:(.*)$/.exec(clusterId);
  if (manifests) values.push(manifests[1]!, ...manifests[1]!.split(','));
  return [...new Set(values)];
}

export interface ExceptionUse {
  entry: ExceptionEntry;
  /** Findings it suppressed in this run (for an expired entry: findings it would have suppressed). */
  matched: number;
}

export interface ExceptionsReport {
  /** Active entries that matched nothing: stale, or written wrong. */
  unused: ExceptionUse[];
  /** Entries past their expiry; their findings are open again. */
  expired: ExceptionUse[];
}

/** The file's entries as a matcher for one run; afterwards `report()` says which were unused or expired. */
export class FileExceptions implements ExceptionMatcher {
  readonly #entries: { entry: ExceptionEntry; expired: boolean; tests: [keyof MatchInput, Glob][]; matched: number }[];

  constructor(entries: readonly ExceptionEntry[], options: { now: Date | string }) {
    const now = typeof options.now === 'string' ? Date.parse(options.now) : options.now.getTime();
    this.#entries = entries.map((entry) => {
      const until = entry.expires === undefined ? undefined : expiryInstant(entry.expires);
      const tests: [keyof MatchInput, Glob][] = [['rule', compileGlob(entry.rule)]];
      for (const key of ['namespace', 'kind', 'name', 'cluster'] as const) {
        const value = entry[key];
        if (value !== undefined) tests.push([key, compileGlob(value)]);
      }
      return { entry, expired: until !== undefined && now >= until, tests, matched: 0 };
    });
  }

  match(finding: Omit<Finding, 'status' | 'suppression'>, _object: KubeObject | undefined): Suppression | undefined {
    const input: MatchInput = {
      rule: [finding.ruleId],
      namespace: finding.resource.namespace === undefined ? [] : [finding.resource.namespace],
      kind: [finding.resource.kind],
      name: [finding.resource.name],
      cluster: clusterSelectorValues(finding.clusterId),
    };
    let found: Suppression | undefined;
    for (const candidate of this.#entries) {
      if (!candidate.tests.every(([key, glob]) => input[key].some((v) => glob.test(v)))) continue;
      candidate.matched += 1;
      if (candidate.expired || found) continue;
      const { entry } = candidate;
      found = { reason: entry.reason, source: 'exceptions-file', owner: entry.owner, exceptionId: entry.id };
      if (entry.expires !== undefined) found.expiresAt = entry.expires;
    }
    return found;
  }

  report(): ExceptionsReport {
    const use = (c: { entry: ExceptionEntry; matched: number }): ExceptionUse => ({ entry: c.entry, matched: c.matched });
    return {
      unused: this.#entries.filter((c) => !c.expired && c.matched === 0).map(use),
      expired: this.#entries.filter((c) => c.expired).map(use),
    };
  }
}

interface MatchInput {
  rule: string[];
  namespace: string[];
  kind: string[];
  name: string[];
  cluster: string[];
}

/** Parse and build in one step, for callers holding the file's text. */
export function exceptionsFromYaml(text: string, options: { file?: string; now: Date | string }): FileExceptions {
  return new FileExceptions(parseExceptionsFile(text, options.file), { now: options.now });
}
