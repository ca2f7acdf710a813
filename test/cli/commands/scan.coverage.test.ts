// A live scan that read nothing, or only part, never looks clean: faults from the Kubernetes API emulator (wrong CA,
// a rejected token, a forbidden kind, a failing exec plugin) through the real CLI, in every report format.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jsonReportSchema } from '../../../shared/report/json.ts';
import { startKubeApi, type KubeApi } from '../../../shared/sandbox/kube-api/index.ts';
import { generateTls } from '../../../shared/sandbox/tls.ts';
import { runCli } from '../run-cli.ts';

const objects = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } },
];

let api: KubeApi;
let dir: string;
let otherCa: string;
beforeAll(async () => {
  api = await startKubeApi({ objects, staticTokens: ['good-token'] });
  dir = mkdtempSync(path.join(tmpdir(), 'periscope-coverage-'));
  otherCa = Buffer.from(generateTls().caPem).toString('base64');
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => api.setForbiddenKinds([]));

function kubeconfig(name: string, caData: string, user: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: api.url, 'certificate-authority-data': caData } }],
      users: [{ name: 'me', user }],
      contexts: [{ name: 'dev', context: { cluster: 'local', user: 'me' } }],
      'current-context': 'dev',
    }),
  );
  return file;
}

const faults = {
  'a CA that did not sign the server certificate': () => kubeconfig('wrong-ca', otherCa, { token: 'good-token' }),
  'a token the API server rejects (401)': () => kubeconfig('bad-token', api.caData, { token: 'expired-token' }),
  'an exec credential plugin that fails': () =>
    kubeconfig('bad-exec', api.caData, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: ['-e', 'process.exit(1)'], interactiveMode: 'Never' },
    }),
};

// Each case runs the CLI in a child process, a few seconds each on a busy machine.
const slow = { timeout: 90_000 };

const scan = (file: string, ...args: string[]) => runCli(['scan', '--context', 'dev', '--kubeconfig', file, ...args]);

describe('periscope scan of a cluster it could not read', () => {
  for (const [fault, config] of Object.entries(faults)) {
    it(`exits 3 and says so in the table, not "No open findings", with ${fault}`, slow, async () => {
      const result = await scan(config(), '--fail-on', 'high');
      expect(result.code).toBe(3);
      expect(result.stdout).toMatch(/^INCOMPLETE SCAN: \d+ of \d+ kinds were not read completely/m);
      expect(result.stdout).not.toContain('No open findings.');
      expect(result.stdout).toContain('Deployment: failed:');
      expect(result.stderr).toMatch(/incomplete coverage: \d+ kinds? not read completely; the findings are not the whole picture/);
    });
  }

  it('writes complete: false and the unread kinds with their reasons in the JSON report', slow, async () => {
    const result = await scan(faults['a token the API server rejects (401)'](), '--format', 'json');
    expect(result.code).toBe(3);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.coverageSummary.complete).toBe(false);
    expect(report.coverageSummary.unread).toContainEqual({ kind: 'Deployment', reason: expect.stringMatching(/^failed: .*unauthorized \(401\)/) });
    expect(report.coverageSummary.read).toBe(0);
  });

  it('marks the SARIF invocation unsuccessful with a notification per unread kind', slow, async () => {
    const result = await scan(faults['a CA that did not sign the server certificate'](), '--format', 'sarif');
    expect(result.code).toBe(3);
    const invocation = JSON.parse(result.stdout).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    const deployment = invocation.toolExecutionNotifications.find((n: { message: { text: string } }) => n.message.text.startsWith('Deployment: '));
    expect(deployment).toMatchObject({ level: 'error', descriptor: { id: 'incomplete-coverage' } });
  });

  it('shows a banner in the HTML report', slow, async () => {
    const result = await scan(faults['a token the API server rejects (401)'](), '--format', 'html');
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/<section class="incomplete" role="alert">\s*<h2>Incomplete scan: \d+ of \d+ kinds were not read completely/);
  });

  it('exits 3 when one kind is forbidden, above the findings exit 1, and lists the kind', slow, async () => {
    api.setForbiddenKinds(['Service']);
    const file = kubeconfig('forbidden', api.caData, { token: 'good-token' });
    const result = await scan(file, '--fail-on', 'info', '--format', 'json');
    expect(result.code).toBe(3);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.coverageSummary).toMatchObject({ complete: false, unread: [{ kind: 'Service', reason: expect.stringMatching(/^forbidden: /) }] });
    const table = await scan(file);
    expect(table.code).toBe(3);
    expect(table.stdout).toMatch(/^INCOMPLETE SCAN: 1 of \d+ kinds were not read completely/m);
    expect(table.stdout).toMatch(/^ {2}Service: forbidden: /m);
  });

  it('exits 0 with complete coverage and says nothing about it', slow, async () => {
    const result = await scan(kubeconfig('good', api.caData, { token: 'good-token' }), '--format', 'json');
    expect(result.code).toBe(0);
    expect(jsonReportSchema.parse(JSON.parse(result.stdout)).coverageSummary).toMatchObject({ complete: true, unread: [] });
  });
});
