// `periscope scan --store local` and `--exceptions`: a second scan says what is new and what was resolved, and
// exceptions suppress with their reason and are reported when unused or expired.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempFiles } from './run-cli.ts';

const deployment = (privileged: boolean): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: registry.example.com/web:1.0
        securityContext: {privileged: ${privileged}}
`;

const files = tempFiles({
  'app.yaml': deployment(true),
  'exceptions.yaml': `exceptions:
  - id: legacy-web
    rule: privileged-container
    namespace: shop
    name: web
    reason: Legacy app, being rewritten in Q3 by team shop
    owner: team-shop
  - id: stale
    rule: host-*
    namespace: nowhere
    reason: Left over from the old cluster layout
    owner: platform
  - id: expired
    rule: image-*
    reason: Temporary while the registry migrates
    owner: platform
    expires: 2020-01-01
`,
  'bad-exceptions.yaml': `- rule: privileged-container\n  reason: short\n  owner: me\n  namepsace: shop\n`,
});
afterAll(files.cleanup);
process.env.PERISCOPE_HOME = join(files.dir, 'home');

const report = (path: string): { summary: Record<string, unknown>; findings: { ruleId: string; status: string; suppression?: { reason: string; exceptionId?: string } }[] } =>
  JSON.parse(readFileSync(path, 'utf8'));

describe('periscope scan --store local', () => {
  it('reports new findings first, then what was resolved on the next scan', async () => {
    const app = join(files.dir, 'app.yaml');
    const first = await runCli(['scan', '-f', app, '--store', 'local', '--format', 'json', '-o', join(files.dir, 'r1.json')]);
    expect(first.code).toBe(0);
    const opened = report(join(files.dir, 'r1.json'));
    expect(opened.summary.opened).toBe(opened.findings.length);
    expect(first.stderr).toMatch(new RegExp(`${opened.findings.length} new, 0 resolved, 0 unchanged`));

    writeFileSync(app, deployment(false));
    const second = await runCli(['scan', '-f', app, '--store', 'local', '--format', 'json', '-o', join(files.dir, 'r2.json')]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/0 new, 1 resolved, \d+ unchanged/);
    const after = report(join(files.dir, 'r2.json'));
    expect(after.summary).toMatchObject({ opened: 0, resolved: 1 });
    expect(after.findings.filter((f) => f.status === 'RESOLVED').map((f) => f.ruleId)).toEqual(['privileged-container']);
  }, 60_000);
});

describe('periscope scan --exceptions', () => {
  it('suppresses matching findings with their reason and reports unused and expired entries', async () => {
    writeFileSync(join(files.dir, 'app.yaml'), deployment(true));
    const out = await runCli(['scan', '-f', join(files.dir, 'app.yaml'), '--exceptions', join(files.dir, 'exceptions.yaml'), '--format', 'json']);
    expect(out.code).toBe(0);
    const privileged = report(writeTo(files.dir, out.stdout)).findings.find((f) => f.ruleId === 'privileged-container');
    expect(privileged).toMatchObject({ status: 'SUPPRESSED', suppression: { reason: 'Legacy app, being rewritten in Q3 by team shop' } });
    expect(out.stderr).toContain('exception stale (owner platform) matched no finding with rule host-*, namespace nowhere: remove it');
    expect(out.stderr).toContain('exception expired (owner platform) expired on 2020-01-01');
  }, 30_000);

  it('matches `cluster:` against the name the report gives a manifest scan, and says why an entry matched nothing', async () => {
    const project = tempFiles({
      'k8s/app.yaml': deployment(true),
      'e.yaml': `- id: by-name
  rule: privileged-container
  cluster: k8s
  reason: Legacy app, being rewritten in Q3 by team shop
  owner: team-shop
- id: typo
  rule: privileged-container
  cluster: k8z
  namespace: shop
  reason: Legacy app, being rewritten in Q3 by team shop
  owner: team-shop
`,
    });
    try {
      const out = await runCli(['scan', '-f', 'k8s/', '--exceptions', 'e.yaml', '--format', 'json'], { cwd: project.dir });
      expect(out.code).toBe(0);
      const privileged = report(writeTo(project.dir, out.stdout)).findings.find((f) => f.ruleId === 'privileged-container');
      expect(privileged).toMatchObject({ status: 'SUPPRESSED', suppression: { exceptionId: 'by-name' } });
      expect(out.stderr).not.toContain('exception by-name');
      expect(out.stderr).toContain(
        "exception typo (owner team-shop) matched no finding with rule privileged-container, cluster k8z, namespace shop " +
          "(this scan's cluster is k8s, id manifests:k8s/): remove it or fix its selectors",
      );
    } finally {
      project.cleanup();
    }
  }, 30_000);

  it('rejects a malformed exceptions file, naming the file, line and field', async () => {
    const out = await runCli(['scan', '-f', join(files.dir, 'app.yaml'), '--exceptions', join(files.dir, 'bad-exceptions.yaml')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('bad-exceptions.yaml:');
    expect(out.stderr).toMatch(/reason/);
    expect(out.stderr).toMatch(/namepsace/);
  }, 30_000);
});

function writeTo(dir: string, text: string): string {
  const path = join(dir, 'stdout.json');
  writeFileSync(path, text);
  return path;
}
