// `periscope scan -f` on hostile and huge input, through the real CLI: bounded memory on inputs several times its
// heap, escaped paths and names in every terminal line, Periscope's own message for a collection key, and kinds
// named like Object.prototype properties scanned like any other kind.
import { createWriteStream, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { terminalProgress } from '../../../shared/cli/live-source.ts';
import { runCli, tempFiles, type CliResult } from '../run-cli.ts';

const HEAP_MIB = 64;
/** Three times the heap: the old reader, which held a file's text whole, could not even hold the text. */
const INPUT_MIB = 3 * HEAP_MIB;
const value = 'QUJD'.repeat(2 ** 18);

/** A Secret whose one value is 1 MiB: a document costs its text while it is read, and a few bytes once cut. */
const secretYaml = (index: number) => `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s${index}\n  namespace: app\ntype: Opaque\ndata:\n  blob: ${value}\n`;
const secretJson = (index: number) => JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${index}`, namespace: 'app' }, data: { blob: value } });

async function writeLarge(path: string, parts: (index: number) => string, head = '', separator = '', tail = ''): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(head);
  for (let index = 0; index < INPUT_MIB; index += 1) await write(`${index > 0 ? separator : ''}${parts(index)}`);
  await write(tail);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** The CLI under a small V8 heap. */
function runWithHeap(args: readonly string[]): Promise<CliResult> {
  return runCli(args, { nodeArgs: [`--max-old-space-size=${HEAP_MIB}`] });
}

describe('scan -f on huge input, with bounded memory', () => {
  const { dir, cleanup } = tempFiles({});
  afterAll(cleanup);

  it(`streams a ${INPUT_MIB} MiB multi-document YAML file under a ${HEAP_MIB} MiB heap`, async () => {
    const file = join(dir, 'many.yaml');
    await writeLarge(file, secretYaml);
    const result = await runWithHeap(['scan', '-f', file, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).coverage.Secret).toEqual({ complete: true, count: INPUT_MIB });
  }, 180_000);

  it(`streams a ${INPUT_MIB} MiB List JSON file item by item (kind after items, as kubectl prints it) under a ${HEAP_MIB} MiB heap`, async () => {
    const file = join(dir, 'list.json');
    await writeLarge(file, secretJson, '{"apiVersion":"v1","items":[\n', ',\n', '],"kind":"List","metadata":{}}\n');
    const result = await runWithHeap(['scan', '-f', file, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).coverage.Secret).toEqual({ complete: true, count: INPUT_MIB });
  }, 180_000);
});

describe('scan -f on hostile input', () => {
  const evil = 'x\u001b[2J\u001b]8;;https:evil\u0007\u009b31m';
  const { dir, cleanup } = tempFiles({
    [`${evil}.yaml`]: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n    labels: [\n',
    'kinds.yaml': ['__proto__', 'constructor', 'toString', 'hasOwnProperty', evil]
      .map((kind) => `apiVersion: example.com/v1\nkind: ${JSON.stringify(kind)}\nmetadata: {name: ${JSON.stringify(kind)}, namespace: app}\n`)
      .join('---\n'),
    'keys.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: app}\ndata:\n  ? [a, b]\n  : c\n',
  });
  mkdirSync(join(dir, evil));
  symlinkSync('..', join(dir, evil, 'up'));
  writeFileSync(join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n');
  afterAll(cleanup);

  it('escapes every path and name from input on the terminal, reports the loop and the rest, and scans the other files', async () => {
    const result = await runCli(['scan', '-f', dir]);
    for (const stream of [result.stdout, result.stderr]) {
      expect(stream).not.toContain('\u001b');
      expect(stream).not.toContain('\u009b');
      expect(stream).not.toContain('\u0007');
    }
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n');
    const shown = 'x\\u001b[2J\\u001b]8;;https:evil\\u0007\\u009b31m';
    expect(lines).toContain(`periscope: ${dir}/${shown}.yaml:4:9: invalid YAML: Nested mappings are not allowed in compact mappings; this document was skipped`);
    expect(lines).toContain(`periscope: ${dir}/${shown}/up: not followed: a symbolic link back to ${dir}, which is being read (a directory loop)`);
    // The collection key is Periscope's input error with file and line, not a Node warning.
    expect(lines).toContain(
      `periscope: ${dir}/keys.yaml:5:5: a mapping key is itself a mapping or a list, which no Kubernetes object has (the API server rejects it); this document was skipped`,
    );
    expect(result.stderr).not.toMatch(/Warning|stringified/);
    expect(result.stdout).toMatch(/Not checked \(no rule targets these kinds\): .*__proto__ \(1\)/);
    expect(result.stdout).toContain(`${shown} (1)`);
  });

  it('scans kinds named like Object.prototype properties as kinds', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'kinds.yaml'), join(dir, 'ok.yaml'), '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    for (const kind of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(Object.hasOwn(report.coverage, kind)).toBe(true);
      expect(report.coverage[kind]).toEqual({ complete: true, count: 1 });
    }
  });
});

describe('live progress on a terminal', () => {
  it('escapes what the error of a kind quotes, keeping only its own line-rewrite sequence', () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const error = 'listing failed: HTTP 500 "\u001b[2Jgone"';
    terminalProgress(stream)({ kind: 'Pod', index: 1, total: 1, phase: 'done', count: 0, pages: 1, coverage: { complete: false, count: 0, error } });
    expect(written[0]).toBe('\r\u001b[2K[1/1] Pod: 0 objects — incomplete: listing failed: HTTP 500 "\\u001b[2Jgone"');
  });
});

