// Objects with fields of the wrong type (the API server would refuse them): each is named with its file, line and
// JSON path on standard error, still judged as written, and the exit code is the findings' (not an input error).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifests } from '../../shared/cli/manifest-files.ts';
import { runCli, tempFiles } from './run-cli.ts';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\nspec:\n${spec}`;

const variants: Record<string, { yaml: string; path: string }> = {
  'privileged as a string': { yaml: pod('  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: "yes"\n'), path: 'spec.containers[0].securityContext.privileged' },
  'containers as a string': { yaml: pod('  containers: nginx\n'), path: 'spec.containers' },
  'hostNetwork as a string': { yaml: pod('  hostNetwork: "true"\n  containers:\n  - name: c\n    image: nginx\n'), path: 'spec.hostNetwork' },
  'labels as a list': { yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels:\n  - a\n', path: 'metadata.labels' },
  'replicas as a string': {
    yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: app\nspec:\n  replicas: "3"\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
    path: 'spec.replicas',
  },
};

describe('wrong-typed fields in manifests', () => {
  const files = Object.fromEntries(Object.entries(variants).map(([name, { yaml }], index) => [`v${index}.yaml`, `# ${name}\n---\n${yaml}`]));
  const { dir, cleanup } = tempFiles({ ...files, 'fine.yaml': pod('  containers:\n  - name: c\n    image: nginx\n') });
  afterAll(cleanup);

  it('names each object with its file, line and path, and still reads it', async () => {
    const read = await readManifests([dir]);
    expect(read.errors).toEqual([]);
    expect(read.objects).toHaveLength(Object.keys(variants).length + 1);
    Object.values(variants).forEach(({ path }, index) => {
      const notice = read.notices.find((n) => n.file === join(dir, `v${index}.yaml`));
      expect(notice, path).toMatchObject({ line: 3 });
      expect(notice?.message).toContain(`${path} must be`);
    });
    expect(read.notices.some((n) => n.file.endsWith('fine.yaml'))).toBe(false);
  });

  it('says so on standard error, judges the object as written, and exits on the findings alone', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'v0.yaml'), '--format', 'json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('spec.containers[0].securityContext.privileged must be');
    expect(result.stderr).toContain('the API server would refuse it');
    // "yes" is not true: the privileged rule does not fire on the string; other rules still judge the pod.
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.map((f) => f.ruleId)).not.toContain('privileged-container');
    expect(report.findings.length).toBeGreaterThan(0);
  });
});
