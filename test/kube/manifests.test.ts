import { describe, expect, it } from 'vitest';
import {
  applyKustomizeNamespace,
  formatManifestError,
  manifestSnapshot,
  parseKustomization,
  parseManifests,
} from '../../shared/kube/manifests.ts';

const names = (text: string, file = 'm.yaml') =>
  parseManifests(text, file).objects.map(({ object, location }) => [object.kind, object.metadata?.name, location.line]);

describe('parseManifests', () => {
  it('reads every document of a multi-document file with its first line', () => {
    const text = [
      '# a leading comment',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: one',
      '---',
      '# comment inside the second document',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: {name: two}',
      '--- ',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: {name: three}',
    ].join('\n');
    expect(names(text)).toEqual([
      ['ServiceAccount', 'one', 2],
      ['ServiceAccount', 'two', 8],
      ['ServiceAccount', 'three', 12],
    ]);
  });

  it('skips empty documents, comment-only documents and explicit nulls', () => {
    const text = ['---', '---', '# nothing here', '---', '~', '---', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: a}', '---', ''].join('\n');
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.errors).toEqual([]);
    expect(names(text)).toEqual([['Namespace', 'a', 7]]);
  });

  it('reads an empty file as no objects and no errors', () => {
    expect(parseManifests('', 'empty.yaml')).toEqual({ objects: [], errors: [] });
    expect(parseManifests('\n# only a comment\n', 'c.yaml')).toEqual({ objects: [], errors: [] });
  });

  it('flattens a List, each item with its own line', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Namespace',
      '  metadata: {name: a}',
      '- apiVersion: apps/v1',
      '  kind: Deployment',
      '  metadata: {name: b, namespace: a}',
    ].join('\n');
    expect(names(text)).toEqual([
      ['Namespace', 'a', 4],
      ['Deployment', 'b', 7],
    ]);
  });

  it('gives the items of a typed list (what the API returns) the kind and apiVersion of the list', () => {
    const text = ['apiVersion: apps/v1', 'kind: DeploymentList', 'items:', '  - metadata: {name: web}', '  - metadata: {name: api}'].join('\n');
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.objects.map(({ object }) => [object.apiVersion, object.kind, object.metadata?.name])).toEqual([
      ['apps/v1', 'Deployment', 'web'],
      ['apps/v1', 'Deployment', 'api'],
    ]);
    expect(parsed.objects.map(({ location }) => location.line)).toEqual([4, 5]);
  });

  it('reads JSON, a List in JSON included, with the line each object starts on', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { x: '1' } },
        ],
      },
      null,
      2,
    );
    const lines = text.split('\n');
    const expectedLines = lines.flatMap((line, index) => (line === '    {' ? [index + 1] : []));
    expect(expectedLines).toHaveLength(2);
    expect(names(text, 'list.json')).toEqual([
      ['ConfigMap', 'a', expectedLines[0]],
      ['ConfigMap', 'b', expectedLines[1]],
    ]);
    expect(names('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}', 'one.json')).toEqual([['Secret', 's', 1]]);
  });

  it('counts lines the same with Windows line endings', () => {
    const text = ['apiVersion: v1', 'kind: Namespace', 'metadata: {name: a}', '---', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: b}'].join('\r\n');
    expect(names(text)).toEqual([
      ['Namespace', 'a', 1],
      ['Namespace', 'b', 5],
    ]);
  });

  it('reports malformed YAML with file, line and column, and still reads the other documents', () => {
    const text = [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: good}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: broken',
      '    labels: [',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: after}',
    ].join('\n');
    const parsed = parseManifests(text, 'deploy/app.yaml');
    expect(parsed.objects.map(({ object }) => object.metadata?.name)).toEqual(['good', 'after']);
    expect(parsed.errors).toHaveLength(1);
    const [error] = parsed.errors;
    expect(error).toMatchObject({ file: 'deploy/app.yaml', line: 8, column: 9 });
    expect(error!.message).toMatch(/^invalid YAML: .+; this document was skipped$/);
    expect(formatManifestError(error!)).toMatch(/^deploy\/app\.yaml:8:9: invalid YAML: Nested mappings/);
  });

  it('reports duplicate keys, which would make the object ambiguous', () => {
    const text = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec: {}', 'spec: {hostPID: true}'].join('\n');
    const parsed = parseManifests(text, 'dup.yaml');
    expect(parsed.objects).toEqual([]);
    expect(parsed.errors).toMatchObject([{ file: 'dup.yaml', line: 5 }]);
    expect(parsed.errors[0]!.message).toMatch(/unique/i);
  });

  it('reports documents that are not Kubernetes objects, naming what is missing', () => {
    const text = [
      'replicaCount: 2', // a Helm values file
      '---',
      '- a',
      '- b',
      '---',
      'just text',
      '---',
      'kind: Pod',
      'metadata: {name: p}',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- {apiVersion: v1, kind: Namespace, metadata: {name: ok}}',
      '- {metadata: {name: nameless}}',
    ].join('\n');
    const parsed = parseManifests(text, 'values.yaml');
    expect(parsed.objects.map(({ object }) => object.metadata?.name)).toEqual(['ok']);
    expect(parsed.errors.map((error) => [error.line, error.message])).toEqual([
      [1, 'this document is not a Kubernetes object: found a mapping without apiVersion and kind; every object needs apiVersion and kind'],
      [3, 'this document is not a Kubernetes object: found a list; every object needs apiVersion and kind'],
      [6, 'this document is not a Kubernetes object: found a string; every object needs apiVersion and kind'],
      [8, 'this document is not a Kubernetes object: found a mapping without apiVersion; every object needs apiVersion and kind'],
      [15, 'item 2 of the List is not a Kubernetes object: found a mapping without apiVersion and kind; every object needs apiVersion and kind'],
    ]);
    expect(formatManifestError(parsed.errors[0]!)).toBe(
      'values.yaml:1: this document is not a Kubernetes object: found a mapping without apiVersion and kind; every object needs apiVersion and kind',
    );
  });

  it('reads scalars the way the API server does (YAML 1.1 booleans and octals; timestamps stay strings)', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p, creationTimestamp: 2024-01-02T03:04:05Z}',
      'spec:',
      '  hostNetwork: yes',
      '  containers:',
      '  - name: app',
      '    args: ["1:30"]',
      '    env: [{name: T, value: 1:30}]',
      '    securityContext: {privileged: on}',
      '  volumes:',
      '  - name: cfg',
      '    configMap: {name: cfg, defaultMode: 0644}',
    ].join('\n');
    const [entry] = parseManifests(text, 'p.yaml').objects;
    const spec = entry!.object.spec as {
      hostNetwork: unknown;
      containers: { env: { value: unknown }[]; securityContext: { privileged: unknown } }[];
      volumes: { configMap: { defaultMode: unknown } }[];
    };
    expect(spec.hostNetwork).toBe(true);
    expect(spec.containers[0]!.securityContext.privileged).toBe(true);
    expect(spec.volumes[0]!.configMap.defaultMode).toBe(0o644);
    expect(spec.containers[0]!.env[0]!.value).toBe('1:30');
    expect(entry!.object.metadata?.creationTimestamp).toBe('2024-01-02T03:04:05Z');
  });

  it('resolves anchors and aliases, and refuses an alias bomb instead of exhausting memory', () => {
    const ok = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a, labels: &l {app: x}, annotations: *l}'].join('\n');
    expect(parseManifests(ok, 'a.yaml').objects[0]!.object.metadata?.annotations).toEqual({ app: 'x' });
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    const parsed = parseManifests(bomb, 'bomb.yaml');
    expect(parsed.objects).toEqual([]);
    expect(parsed.errors).toMatchObject([{ file: 'bomb.yaml', line: 1 }]);
  });
});

describe('manifestSnapshot', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: shop}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cfg, namespace: shop}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cfg2, namespace: shop}',
  ].join('\n');

  it('builds a manifests snapshot: objects by kind, complete coverage, locations, unchecked kinds counted', () => {
    const { objects } = parseManifests(text, 'app.yaml');
    const { snapshot, uncheckedKinds } = manifestSnapshot(objects, {
      path: 'deploy/',
      name: 'deploy',
      takenAt: '2026-01-01T00:00:00.000Z',
      checkedKinds: new Set(['Deployment', 'Pod']),
    });
    expect(snapshot.cluster).toEqual({ id: 'manifests:deploy/', name: 'deploy', source: 'manifests' });
    expect(snapshot.takenAt).toBe('2026-01-01T00:00:00.000Z');
    expect(Object.keys(snapshot.objects).sort()).toEqual(['ConfigMap', 'Deployment']);
    expect(snapshot.objects.ConfigMap!.map((object) => object.metadata?.name)).toEqual(['cfg', 'cfg2']);
    // Kinds a rule checks are complete even when no file holds one: the files are the whole world.
    expect(snapshot.coverage).toEqual({
      ConfigMap: { complete: true, count: 2 },
      Deployment: { complete: true, count: 1 },
      Pod: { complete: true, count: 0 },
    });
    expect(uncheckedKinds).toEqual({ ConfigMap: 2 });
    expect(snapshot.locations?.get(snapshot.objects.Deployment![0]!)).toEqual({ file: 'app.yaml', line: 1 });
    expect(snapshot.locations?.get(snapshot.objects.ConfigMap![1]!)).toEqual({ file: 'app.yaml', line: 9 });
  });
});

describe('parseKustomization', () => {
  it('reads namespace and resources, with or without apiVersion and kind', () => {
    const text = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'namespace: tools', 'resources:', '- a.yaml', '- ./b.yml'].join('\n');
    expect(parseKustomization(text, 'k.yaml')).toEqual({ kustomization: { namespace: 'tools', resources: ['a.yaml', './b.yml'] }, errors: [] });
    expect(parseKustomization('namespace: x\n', 'k.yaml')).toEqual({ kustomization: { namespace: 'x' }, errors: [] });
    expect(parseKustomization('resources: [a.yaml]\nnamespace: ""\n', 'k.yaml')).toEqual({ kustomization: { resources: ['a.yaml'] }, errors: [] });
    expect(parseKustomization('', 'k.yaml')).toEqual({ kustomization: {}, errors: [] });
  });

  it('reports a kustomization it cannot use with file and line, and returns no namespace', () => {
    const badNamespace = parseKustomization('resources: [a.yaml]\nnamespace: [a, b]\n', 'dir/kustomization.yaml');
    expect(badNamespace.kustomization).toBeUndefined();
    expect(badNamespace.errors.map(formatManifestError)).toEqual([
      "dir/kustomization.yaml:2: the kustomization's namespace must be a string, found a list; it was not applied",
    ]);
    const badResources = parseKustomization('namespace: a\nresources: a.yaml\n', 'k.yaml');
    expect(badResources.errors).toMatchObject([{ file: 'k.yaml', line: 2 }]);
    const invalid = parseKustomization('namespace: a\nresources: [\n', 'k.yaml');
    expect(invalid.kustomization).toBeUndefined();
    expect(invalid.errors[0]!.message).toMatch(/^invalid YAML in kustomization: .+; its namespace was not applied$/);
    expect(parseKustomization('- a\n', 'k.yaml').errors[0]!.message).toBe('a kustomization must be a mapping, found a list; its namespace was not applied');
  });
});

describe('applyKustomizeNamespace', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cfg, namespace: elsewhere}',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata: {name: reader}',
    '---',
    'apiVersion: v1',
    'kind: Namespace',
    'metadata: {name: tools}',
    '---',
    'apiVersion: example.com/v1',
    'kind: Widget',
    'metadata: {name: w}',
  ].join('\n');

  it('sets the namespace of namespaced kinds, replacing one already there, and leaves cluster-scoped kinds alone', () => {
    const parsed = parseManifests(text, 'app.yaml').objects;
    const applied = applyKustomizeNamespace(parsed, 'tools');
    expect(applied.map(({ object }) => [object.kind, object.metadata?.namespace])).toEqual([
      ['Deployment', 'tools'],
      ['ConfigMap', 'tools'],
      ['ClusterRole', undefined],
      ['Namespace', undefined],
      ['Widget', 'tools'],
    ]);
    // Locations are those of the original objects, and the originals are not changed.
    expect(applied.map(({ location }) => location)).toEqual(parsed.map(({ location }) => location));
    expect(parsed.map(({ object }) => object.metadata?.namespace)).toEqual([undefined, 'elsewhere', undefined, undefined, undefined]);
  });

  it('moves binding subjects as kustomize does: those named default, and ServiceAccount subjects of its ServiceAccounts', () => {
    const objects = parseManifests(
      [
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: app}',
        '---',
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: ops, namespace: ops}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: b}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}',
        'subjects:',
        '- {kind: ServiceAccount, name: app}', // one of ours, no namespace: follows it
        '- {kind: ServiceAccount, name: app, namespace: default}', // its old namespace, `default` when it had none
        '- {kind: ServiceAccount, name: app, namespace: prod}', // another namespace: another account
        '- {kind: ServiceAccount, name: ops, namespace: ops}', // one of ours, in its own old namespace
        '- {kind: ServiceAccount, name: ci, namespace: build}', // not one of ours
        '- {kind: ServiceAccount, name: default}', // named default
        '- {kind: User, name: app}',
        '- {kind: Group, name: devs}',
      ].join('\n'),
      'rbac.yaml',
    ).objects;
    const binding = applyKustomizeNamespace(objects, 'tools')[2]!.object;
    expect(binding.metadata?.namespace).toBeUndefined();
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'app', namespace: 'tools' },
      { kind: 'ServiceAccount', name: 'app', namespace: 'tools' },
      { kind: 'ServiceAccount', name: 'app', namespace: 'prod' },
      { kind: 'ServiceAccount', name: 'ops', namespace: 'tools' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'tools' },
      { kind: 'User', name: 'app' },
      { kind: 'Group', name: 'devs' },
    ]);
  });
});

describe('manifestSnapshot and kustomizations', () => {
  it('does not take a kustomization for an object of the cluster, nor count it as an unchecked kind', () => {
    const text = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'namespace: a', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}'].join(
      '\n',
    );
    const { snapshot, uncheckedKinds } = manifestSnapshot(parseManifests(text, 'kustomization.yaml').objects, {
      path: 'k',
      name: 'k',
      takenAt: '2026-01-01T00:00:00.000Z',
      checkedKinds: new Set(['Pod']),
    });
    expect(Object.keys(snapshot.objects)).toEqual(['ConfigMap']);
    expect(uncheckedKinds).toEqual({ ConfigMap: 1 });
  });
});
