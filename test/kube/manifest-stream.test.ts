// ManifestStream: the same objects, lines and errors whatever the chunks the text arrives in, and JSON Lists read
// item by item in both key orders (the API's kind-first, kubectl's items-first).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStream, JsonStreamError, type JsonEvent } from '../../shared/kube/json-stream.ts';
import { ManifestStream, parseManifests, type ParsedManifests } from '../../shared/kube/manifests.ts';

function streamed(chunks: readonly string[], file = 'm.yaml'): ParsedManifests {
  const parsed: ParsedManifests = { objects: [], errors: [] };
  const stream = new ManifestStream(file, { object: (object) => parsed.objects.push(object), error: (error) => parsed.errors.push(error) });
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return parsed;
}

/** Cuts the text at the given (sorted, de-duplicated) offsets. */
function cut(text: string, offsets: readonly number[]): string[] {
  const points = [...new Set(offsets.map((offset) => offset % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  chunks.push(text.slice(from));
  return chunks;
}

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'app', labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1', command: ['sh', '-c', 'echo "}{]["'] }] } });

const texts: Record<string, string> = {
  multiDocument: [
    '# leading comment',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: one',
    '  annotations:',
    '    note: |',
    '      a block scalar',
    '        indented more',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: two, namespace: app}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: c',
    '          image: "nginx:1"',
    '          env:',
    '            - name: A',
    '              valueFrom:',
    '                secretKeyRef:',
    '                  name: s',
    '                  key: k',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: broken',
    '    labels: [',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: v1',
    '  kind: Namespace',
    '  metadata: {name: a}',
    '- just a string',
    '',
  ].join('\n'),
  windowsLineEnds: ['apiVersion: v1', 'kind: Namespace', 'metadata: {name: a}', '---', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: b}'].join('\r\n'),
  apiPodList: JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod('a'), { metadata: { name: 'b' } }, pod('c')] }, null, 2),
  kubectlList: JSON.stringify({ apiVersion: 'v1', items: [pod('a'), 42, pod('b')], kind: 'List', metadata: { resourceVersion: '' } }, null, 1),
  typedListKindLast: JSON.stringify({ apiVersion: 'v1', items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }], kind: 'PodList' }),
  concatenatedJson: `${JSON.stringify(pod('a'))}\n${JSON.stringify(pod('b'), null, 2)}\n["not", "an object"]\n"text"\n`,
  flowYaml: '{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: block}\n',
  invalidJson: '{\n  "apiVersion": "v1",\n  "items": [\n    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}},\n    {"apiVersion": "v1" "kind": "Pod"}\n  ]\n}\n',
};

describe('ManifestStream', () => {
  it('reads the same objects, lines and errors whatever the chunks', () => {
    for (const [name, text] of Object.entries(texts)) {
      const whole = parseManifests(text, name);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (offsets) => {
          expect(streamed(cut(text, offsets), name)).toEqual(whole);
        }),
        { numRuns: 60 },
      );
      // One character at a time: every cut at once.
      expect(streamed([...text], name)).toEqual(whole);
    }
  });

  it('reads the items of a List in either key order, with their lines, and typed items get the list kind', () => {
    const api = parseManifests(texts.apiPodList!, 'pods.json');
    expect(api.errors).toEqual([]);
    expect(api.objects.map(({ object, location }) => [object.kind, object.metadata?.name, location.line])).toEqual([
      ['Pod', 'a', 6],
      ['Pod', 'b', 30],
      ['Pod', 'c', 35],
    ]);
    const kubectl = parseManifests(texts.kubectlList!, 'list.json');
    expect(kubectl.objects.map(({ object }) => object.metadata?.name)).toEqual(['a', 'b']);
    expect(kubectl.errors).toEqual([
      { file: 'list.json', line: 28, message: 'item 2 of the List is not a Kubernetes object: found a number; every object needs apiVersion and kind' },
    ]);
    const kindLast = parseManifests(texts.typedListKindLast!, 'late.json');
    expect(kindLast.errors).toEqual([]);
    expect(kindLast.objects.map(({ object }) => [object.apiVersion, object.kind, object.metadata?.name])).toEqual([
      ['v1', 'Pod', 'a'],
      ['v1', 'Pod', 'b'],
    ]);
  });

  it('reads concatenated JSON values as documents, and a .yaml file that starts with a flow mapping as YAML', () => {
    const concatenated = parseManifests(texts.concatenatedJson!, 'many.json');
    expect(concatenated.objects.map(({ object, location }) => [object.metadata?.name, location.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(concatenated.errors.map(({ line, message }) => [line, message.split(':')[0]])).toEqual([
      [26, 'this document is not a Kubernetes object'],
      [27, 'this document is not a Kubernetes object'],
    ]);
    expect(parseManifests(texts.flowYaml!, 'flow.yaml').objects.map(({ object, location }) => [object.metadata?.name, location.line])).toEqual([
      ['flow', 1],
      ['block', 3],
    ]);
  });

  it('reports malformed JSON with line and column, keeping the objects before it', () => {
    const parsed = parseManifests(texts.invalidJson!, 'bad.json');
    expect(parsed.objects.map(({ object }) => object.metadata?.name)).toEqual(['a']);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ file: 'bad.json', line: 5, column: 25 });
    expect(parsed.errors[0]!.message).toMatch(/^invalid JSON: .+; the rest of this file was skipped$/);
  });

  it('keeps a JSON __proto__ field as a field, as JSON.parse does', () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","__proto__":{"polluted":true},"metadata":{"name":"x"},"items":[1]}';
    const [read] = parseManifests(text, 'p.json').objects;
    expect(Object.getPrototypeOf(read!.object)).toBe(Object.prototype);
    expect(Object.hasOwn(read!.object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(read!.object.items).toEqual([1]);
  });
});

describe('ManifestStream keeps objects as the live collector does', () => {
  const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'app', uid: 'rs-uid' }, spec: {} };
  const owned = (name: string, owner: Record<string, unknown>) => ({
    ...pod(name),
    metadata: { ...pod(name).metadata, uid: `${name}-uid`, ownerReferences: [owner], managedFields: [{ manager: 'kubelet' }] },
    status: { phase: 'Running', conditions: [] },
  });
  const ownerRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true };

  it('summarises a pod owned, uid for uid, by a controller read before it, drops managedFields, and keeps the rest whole', () => {
    const documents = [replicaSet, owned('a', ownerRef), owned('b', { ...ownerRef, uid: undefined }), owned('c', { ...ownerRef, name: 'other' })];
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: documents });
    const objects: ParsedManifests['objects'] = [];
    new ManifestStream('l.json', { object: (object) => objects.push(object), error: () => {} }, { controllers: new Map() }).write(text);
    const [, a, b, c] = objects.map(({ object }) => object);
    expect(a).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'a', namespace: 'app', uid: 'a-uid', labels: { app: 'a' }, ownerReferences: [ownerRef] },
      spec: {},
      status: { phase: 'Running' },
    });
    for (const whole of [b, c]) {
      expect(whole!.spec).toEqual(pod('x').spec);
      expect(Object.hasOwn(whole!.metadata!, 'managedFields')).toBe(false);
    }
  });

  it('keeps pods whole when their controller comes after them, or when no controller index is given', () => {
    const after = streamed([JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [owned('a', ownerRef), replicaSet] })], 'l.json');
    expect(after.objects[0]!.object.spec).toEqual(pod('a').spec);
    const unindexed = streamed([JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [replicaSet, owned('a', ownerRef)] })], 'l.json');
    expect(unindexed.objects[1]!.object.spec).toEqual(pod('a').spec);
  });
});

describe('JsonStream', () => {
  it('throws at the end of input when a value was left open', () => {
    const stream = new JsonStream(() => {});
    stream.write('{"items": [{"a": "b"');
    expect(() => stream.end()).toThrow(JsonStreamError);
  });

  it('finds the end of strings with escaped quotes and backslashes across chunks', () => {
    const value = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'q' }, data: { a: 'say \\"hi\\" \\\\', b: '}]"[{\\' } };
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [value, value] });
    for (let at = 1; at < text.length; at += 1) {
      const events: JsonEvent[] = [];
      const stream = new JsonStream((event) => events.push(event));
      stream.write(text.slice(0, at));
      stream.write(text.slice(at));
      stream.end();
      expect(events.filter((event) => event.type === 'item').map((event) => (event as { value: unknown }).value)).toEqual([value, value]);
    }
  });
});
