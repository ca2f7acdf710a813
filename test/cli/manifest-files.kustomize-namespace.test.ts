// `periscope scan -f <dir>` applies the `namespace:` of a kustomization in the same directory, as `kustomize build`
// would, and nothing else of it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifests } from '../../shared/cli/manifest-files.ts';
import { jsonReportSchema } from '../../shared/report/json.ts';
import { repoRoot, runCli, tempFiles } from './run-cli.ts';

const deployment = (name: string, namespace?: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  selector: {matchLabels: {app: x}}',
    '  template:',
    '    metadata: {labels: {app: x}}',
    '    spec:',
    '      serviceAccountName: app',
    '      containers:',
    '      - {name: app, image: registry.example/app:1.0, securityContext: {privileged: true}}',
    '',
  ].join('\n');
const serviceAccount = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n';
const clusterRole = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: []\n';
const binding = [
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: ClusterRoleBinding',
  'metadata: {name: reader}',
  'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}',
  'subjects:',
  '- {kind: ServiceAccount, name: app}',
  '',
].join('\n');

describe('readManifests with kustomizations', () => {
  const { dir, cleanup } = tempFiles({
    // A kustomization with resources: only the files it names get its namespace.
    'listed/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: tools\nresources:\n- ./web.yaml\n- sa.yaml\n- rbac.yaml\n- ../other\n',
    'listed/web.yaml': `# leading comment\n${deployment('web', 'elsewhere')}---\n${clusterRole}`,
    'listed/sa.yaml': serviceAccount,
    'listed/rbac.yaml': binding,
    'listed/unlisted.yaml': deployment('unlisted'),
    'listed/sub/deeper.yaml': deployment('deeper'),
    // No resources: every file of the directory; `kustomization.yml` and no apiVersion/kind are fine.
    'all/kustomization.yml': 'namespace: all-ns\n',
    'all/one.yaml': deployment('one'),
    // No namespace: nothing changes, and the kustomization is still not read as a manifest.
    'plain/Kustomization': 'resources: [a.yaml]\n',
    'plain/a.yaml': deployment('plain'),
    // kustomize refuses two kustomization files in one directory.
    'two/kustomization.yaml': 'namespace: a\n',
    'two/kustomization.yml': 'namespace: b\n',
    'two/x.yaml': deployment('two'),
    'broken/kustomization.yaml': 'namespace: [a\n',
    'broken/y.yaml': deployment('broken'),
  });
  afterAll(cleanup);

  const byName = async (path: string) => {
    const read = await readManifests([path]);
    return { read, objects: new Map(read.objects.map((entry) => [entry.object.metadata?.name, entry])) };
  };

  it("applies the namespace to the files its resources name, replacing any, and keeps each object's location", async () => {
    const listed = join(dir, 'listed');
    const { read, objects } = await byName(listed);
    expect(read.errors).toEqual([]);
    expect(read.files).not.toContain(join(listed, 'kustomization.yaml'));
    expect(read.objects.map(({ object }) => object.kind)).not.toContain('Kustomization');
    expect(objects.get('web')!.object.metadata?.namespace).toBe('tools');
    expect(objects.get('web')!.location).toEqual({ file: join(listed, 'web.yaml'), line: 2 });
    expect(objects.get('app')!.object.metadata?.namespace).toBe('tools');
    expect(read.objects.find(({ object }) => object.kind === 'ClusterRole')!.object.metadata?.namespace).toBeUndefined();
    // The binding is in another file than its ServiceAccount; its subject follows the account all the same.
    const crb = read.objects.find(({ object }) => object.kind === 'ClusterRoleBinding')!;
    expect(crb.object.subjects).toEqual([{ kind: 'ServiceAccount', name: 'app', namespace: 'tools' }]);
    expect(crb.location).toEqual({ file: join(listed, 'rbac.yaml'), line: 1 });
    // A file it does not name, and a file of a subdirectory, are scanned as they are.
    expect(objects.get('unlisted')!.object.metadata?.namespace).toBeUndefined();
    expect(objects.get('deeper')!.object.metadata?.namespace).toBeUndefined();
  });

  it('applies it to every file of the directory when there is no resources list, and not at all without a namespace', async () => {
    const { read, objects } = await byName(dir);
    expect(objects.get('one')!.object.metadata?.namespace).toBe('all-ns');
    expect(objects.get('plain')!.object.metadata?.namespace).toBeUndefined();
    expect(read.files.filter((file) => /kustomization/i.test(file))).toEqual([]);
  });

  it('reports two kustomization files in a directory, and a malformed one, without applying a namespace', async () => {
    const two = await byName(join(dir, 'two'));
    expect(two.read.errors).toEqual([
      {
        file: join(dir, 'two'),
        message:
          'found more than one kustomization file (kustomization.yaml, kustomization.yml); kustomize refuses this too, so no namespace was applied: keep one',
      },
    ]);
    expect(two.objects.get('two')!.object.metadata?.namespace).toBeUndefined();
    const broken = await byName(join(dir, 'broken'));
    expect(broken.read.errors).toHaveLength(1);
    expect(broken.read.errors[0]).toMatchObject({ file: join(dir, 'broken', 'kustomization.yaml'), line: 2 });
    expect(broken.read.errors[0]!.message).toMatch(/^invalid YAML in kustomization: .+; its namespace was not applied$/);
    expect(broken.objects.get('broken')!.object.metadata?.namespace).toBeUndefined();
  });

  it('says so when a directory holds only a kustomization', async () => {
    const only = tempFiles({ 'kustomization.yaml': 'resources: [github.com/example/app//base]\nnamespace: x\n' });
    try {
      const read = await readManifests([only.dir]);
      expect(read.objects).toEqual([]);
      expect(read.errors).toEqual([
        {
          file: only.dir,
          message: 'no .yaml, .yml, .json files in this directory besides kustomization files (`kustomize build` is not run: scan its output with -f -)',
        },
      ]);
    } finally {
      only.cleanup();
    }
  });

  it('scans the namespaced objects through the CLI, without counting the kustomization as an unchecked kind', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'listed'), '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(Object.keys(report.coverage)).not.toContain('Kustomization');
    const privileged = report.findings.filter((finding) => finding.ruleId === 'privileged-container');
    expect(privileged.map((finding) => [finding.resource.name, finding.resource.namespace, finding.location])).toEqual([
      ['deeper', undefined, { file: join(dir, 'listed', 'sub', 'deeper.yaml'), line: 1 }],
      ['unlisted', undefined, { file: join(dir, 'listed', 'unlisted.yaml'), line: 1 }],
      ['web', 'tools', { file: join(dir, 'listed', 'web.yaml'), line: 2 }],
    ]);
    const table = await runCli(['scan', '-f', join(dir, 'listed')]);
    expect(table.stdout).not.toMatch(/Kustomization/);
  });
});

const ebs = resolve(repoRoot, '..', 'shared', 'corpora', 'eks-system-addons', 'aws-ebs-csi-driver');
const relativeEbs = join('..', 'shared', 'corpora', 'eks-system-addons', 'aws-ebs-csi-driver');

describe.skipIf(!existsSync(ebs))('the EBS CSI kustomize base (../shared/corpora/eks-system-addons/aws-ebs-csi-driver)', () => {
  it('puts the objects its kustomization lists in kube-system, where they are suppressed as a platform component', async () => {
    const result = await runCli(['scan', '-f', relativeEbs, '--format', 'json']);
    expect(result.code).toBe(0);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(Object.keys(report.coverage)).not.toContain('Kustomization');
    const listed = report.findings.filter((finding) => !finding.location!.file.endsWith('node-windows.yaml'));
    const workloads = listed.filter((finding) => ['DaemonSet', 'Deployment'].includes(finding.resource.kind));
    expect(new Set(workloads.map((finding) => `${finding.resource.kind}/${finding.resource.namespace}/${finding.resource.name}`))).toEqual(
      new Set(['DaemonSet/kube-system/ebs-csi-node', 'Deployment/kube-system/ebs-csi-controller']),
    );
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((finding) => finding.status !== 'SUPPRESSED')).toEqual([]);
    // node-windows.yaml is not in the kustomization's resources: kustomize leaves it out, Periscope scans it unchanged.
    const windows = report.findings.filter((finding) => finding.location!.file.endsWith('node-windows.yaml'));
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((finding) => finding.resource.namespace === undefined)).toBe(true);
  });
});
