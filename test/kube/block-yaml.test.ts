// The block-YAML reader against the `yaml` package, its oracle: every document it reads must give yaml's value
// (YAML 1.1, go-yaml's tags, as the API server reads manifests), and every document outside its subset or with an
// error must be left to yaml. Checked on a table of the subset's edges, on generated objects printed in the styles
// kubectl, Helm and the `yaml` package use, and on the third-party corpora (PSS fixtures, EKS add-on manifests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify, type ToStringOptions } from 'yaml';
import { documentStarts, PlainScalars, readBlockYaml } from '../../shared/kube/block-yaml.ts';
import { goYamlTags, parseManifests } from '../../shared/kube/manifests.ts';

const scalars = new PlainScalars(goYamlTags);

/** What yaml makes of one document's text: its value, or 'error' when it reports one, or 'several' documents. */
function oracle(text: string): unknown {
  const documents = parseAllDocuments(text, { version: '1.1', customTags: goYamlTags, logLevel: 'error' });
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.some((document) => document.errors.length > 0)) return 'error';
  if (list.length > 1) return 'several';
  return list.length === 0 ? null : list[0]!.toJS({ maxAliasCount: 100 });
}

/** The reader agrees with yaml wherever it reads; returns whether it read. */
function agrees(text: string): boolean {
  const fast = readBlockYaml(text, 1, scalars);
  if (fast === undefined) return false;
  const expected = oracle(text);
  expect(expected, `yaml reports an error or several documents where the reader read:\n${text}`).not.toBe('error');
  expect(fast.value, text).toStrictEqual(expected);
  return true;
}

describe('readBlockYaml reads the subset as yaml does', () => {
  const inside: Record<string, string> = {
    'kubectl style (sequences at their key)': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n      protocol: TCP\n',
    'yaml style (indented sequences)': 'spec:\n  containers:\n    - name: app\n      args:\n        - -c\n        - echo hi\n',
    'YAML 1.1 booleans, nulls and numbers': 'a: yes\nb: No\nc: on\nd: OFF\ne: ~\nf: null\ng:\nh: 0644\ni: 0x1F\nj: 1e3\nk: 1_000\nl: -12\nm: .inf\nn1: -.Inf\no1: .NaN\np: 3.25\nq: 0b101\nr: y\ns: n\n',
    'go-yaml keeps timestamps and base-60 numbers as strings': 'a: 2025-06-01T08:00:00Z\nb: 2025-06-01\nc: 1:30\nd: 190:20:30.15\n',
    'quantities and versions stay strings': 'cpu: 500m\nmemory: 128Mi\nversion: 1.2.3\nimage: repo/app@sha256:abc\nport: "8080"\n',
    'quoted scalars': `a: "x \\"y\\" \\\\ \\t \\u00e9 \\n"\nb: 'it''s'\nc: ""\nd: ''\n"e f": 1\n'g': "#not a comment"\n`,
    'comments everywhere': '# head\na: 1 # one\n# between\nb:  # empty\n  c: x#y # c\n  # inside\nd: [] # empty list\ne: {}\n',
    'literal block scalars and chomping': 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\n\n\nc: |+\n  kept\n\n\nd: x\ne: |\n  # not a comment\n',
    'block scalar in a sequence': 'a:\n- |\n  one\n- |-\n  two\n',
    'flow sequences of scalars': 'command: ["/bin/sh", "-c", \'echo "hi"\']\nports: [80, 443]\nempty: [ ]\n',
    'multi-line plain scalars fold': 'description: a long\n  description that\n  goes on\n\n  and on\nnext: 1\n',
    'nested sequences': 'a:\n- - 1\n  - 2\n- - 3\n',
    'a key named like an Object.prototype property': '__proto__: 1\nconstructor: 2\ntoString:\n  hasOwnProperty: 3\n',
    'anchors and aliases as the yaml package prints them': 'metadata:\n  labels: &a1\n    app: x\nspec:\n  selector:\n    matchLabels: *a1\n  name: &n web\n  other: *n\n',
    'a document marker with a comment': '--- # first\na: 1\n',
    'an empty document': '---\n# nothing\n',
    'unicode': 'name: café\nemoji: "😀"\n',
  };
  for (const [name, text] of Object.entries(inside)) {
    it(name, () => expect(agrees(text)).toBe(true));
  }

  const outside: Record<string, string> = {
    'a tag': 'a: !!str 1\n',
    'a folded block scalar': 'a: >\n  folded\n  text\n',
    'an indentation indicator': 'a: |2\n   x\n',
    'a flow mapping': 'a: {b: 1}\n',
    'a merge key': 'base: &b\n  x: 1\nc:\n  <<: *b\n',
    'a duplicate key': 'a: 1\na: 2\n',
    'a complex key': '? a\n: 1\n',
    'a multi-line quoted scalar': 'a: "one\n  two"\n',
    'a tab in the indentation': 'a:\n\tb: 1\n',
    'CR line ends': 'a: 1\r\nb: 2\r\n',
    'a directive': '%YAML 1.1\n---\na: 1\n',
    'a document end marker': 'a: 1\n...\n',
    'a boolean key': 'yes: 1\n',
    'a numeric key': '8080: http\n',
    'a mapping in a plain scalar': 'a: b: c\n',
    'a bad indentation': 'a:\n    b: 1\n  c: 2\n',
    'a scalar document': 'just text\n',
    'an alias of an anchor holding aliases': 'a: &a\n  x: 1\nb: &b\n  y: *a\nc: *b\n',
    'an unknown alias': 'a: *nope\n',
    'YAML-only escapes': 'a: "\\x41\\e"\n',
    'a literal block scalar at the end of text without a line feed': 'a: |\n  x',
  };
  for (const [name, text] of Object.entries(outside)) {
    it(`leaves ${name} to yaml`, () => expect(readBlockYaml(text, 1, scalars)).toBeUndefined());
  }

  it('reads a document longer than its line tables start (10,000 lines) as yaml does', () => {
    const text = `data:\n${Array.from({ length: 10_000 }, (_, i) => `  k${i}: v${i}`).join('\n')}\n`;
    expect(agrees(text)).toBe(true);
  });

  it('gives the lines of the document and of a top-level List’s items', () => {
    const text = '---\n# c\napiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  apiVersion: v1\n\n- kind: Service\n  apiVersion: v1\n';
    expect(readBlockYaml(text, 10, scalars)).toMatchObject({ line: 12, itemLines: [15, 18] });
  });
});

describe('readBlockYaml against yaml on generated objects', () => {
  /** Strings that YAML reads as something else unless quoted, and strings that need quoting or folding. */
  const awkward = [
    'yes', 'No', 'on', 'null', '~', '', ' lead', 'trail ', '0644', '1e3', '1:30', '2025-06-01', '-1', '.5', '- x', 'a: b',
    'a #b', '#x', '[x]', '{x}', '*x', '&x', '!x', '|', '>', "it's", 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak',
    'two\n\nbreaks', 'end\n', 'café', '%x', '@x', '`x`', 'x:', ':x', '?x', '<<', '__proto__', 'a'.repeat(120),
    'many words '.repeat(12),
  ];
  const scalar = fc.oneof(
    fc.constantFrom(...awkward),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const key = fc.oneof(fc.constantFrom('name', 'image', 'value', 'items', 'spec', 'a b', '__proto__', 'x.y/z', '-k'), fc.string({ minLength: 1, maxLength: 8 }));
  const value = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    ),
  })).node;
  const document = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });
  const styles: ToStringOptions[] = [
    {},
    { indentSeq: false, lineWidth: 0 },
    { lineWidth: 20, minContentWidth: 0 },
    { defaultStringType: 'QUOTE_DOUBLE' },
    { defaultStringType: 'QUOTE_SINGLE', indentSeq: false },
    { defaultStringType: 'BLOCK_LITERAL', lineWidth: 0 },
  ];

  it('reads what it reads as yaml does, in every style', () => {
    let read = 0;
    let total = 0;
    fc.assert(
      fc.property(document, fc.constantFrom(...styles), (object, style) => {
        const text = stringify(object, { version: '1.1', ...style });
        total += 1;
        if (agrees(text)) read += 1;
      }),
      { numRuns: 600 },
    );
    // It must not get there by giving up: most generated documents are inside the subset.
    expect(read / total).toBeGreaterThan(0.5);
  });

  it('reads every kubectl-style document of plain objects', () => {
    const plainValue = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.integer({ min: 0, max: 65535 }), fc.boolean());
    const object = fc.record({
      apiVersion: fc.constant('apps/v1'),
      kind: fc.constant('Deployment'),
      metadata: fc.record({ name: plainValue, labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/).filter((k) => typeof scalars.resolve(k) === 'string'), plainValue) }),
      spec: fc.record({ containers: fc.array(fc.record({ name: plainValue, args: fc.array(plainValue) }), { maxLength: 3 }) }),
    });
    fc.assert(
      fc.property(object, fc.constantFrom<ToStringOptions>({}, { indentSeq: false }), (value, style) => {
        expect(agrees(stringify(value, style))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('documentStarts', () => {
  it('cuts at marker lines, with the directives before one', () => {
    const text = 'a: 1\n---\nb: 2\n--- # c\n%YAML 1.1\n---\nc: 3\n----\n---x\n';
    const starts = documentStarts(text);
    expect(starts.map((at) => text.slice(at).split('\n')[0])).toEqual(['a: 1', '---', '--- # c', '%YAML 1.1']);
  });
});

describe('manifests read through the reader and yaml together', () => {
  it('gives the same objects, errors and lines as yaml alone would', () => {
    const text = [
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fast\n',
      '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: !!str slow\n',
      '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n    labels: [\n',
      '---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: in-list\n',
      '---\nnot: an object\n',
    ].join('');
    const { objects, errors } = parseManifests(text, 'mixed.yaml');
    expect(objects.map((o) => [o.object.metadata?.name, o.location.line])).toEqual([
      ['fast', 1],
      ['slow', 6],
      ['in-list', 20],
    ]);
    expect(errors.map((e) => [e.line, e.column, e.message.split(':')[0]])).toEqual([
      [14, 9, 'invalid YAML'],
      [25, undefined, 'this document is not a Kubernetes object'],
    ]);
  });
});

const corpora = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora');

describe.skipIf(!existsSync(corpora))(`readBlockYaml on the corpora (${corpora})`, () => {
  it('agrees with yaml on every document it reads, and reads nearly all', () => {
    const files = readdirSync(corpora, { recursive: true, encoding: 'utf8' }).filter((file) => /\.ya?ml$/.test(file));
    expect(files.length).toBeGreaterThan(100);
    let documents = 0;
    let read = 0;
    for (const file of files) {
      const text = readFileSync(join(corpora, file), 'utf8');
      const starts = documentStarts(text);
      for (let index = 0; index < starts.length; index += 1) {
        documents += 1;
        const segment = text.slice(starts[index], starts[index + 1] ?? text.length);
        const fast = readBlockYaml(segment, 1, scalars);
        if (fast === undefined) continue;
        read += 1;
        if (!isDeepStrictEqual(fast.value, oracle(segment))) expect.fail(`${file}: document ${index + 1} differs from yaml's`);
      }
    }
    expect(read / documents).toBeGreaterThan(0.95);
  });
});
