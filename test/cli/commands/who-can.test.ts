import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { accessReport, rbacOf, renderAccess } from '../../../shared/cli/commands/access.ts';
import { renderWhoCan, whoCan } from '../../../shared/cli/commands/who-can.ts';
import { run } from '../../../shared/cli/program.ts';
import { snapshotOf } from '../../support/fixtures.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, roleBinding, rule, sa } from '../../rbac/fixtures.ts';

const objects = [
  ...bootstrapPolicy(),
  clusterRole('secret-reader', [rule([''], ['secrets'], ['get', 'list'])]),
  roleBinding('shop', 'web-secrets', { kind: 'ClusterRole', name: 'secret-reader' }, [sa('shop', 'web'), group('auditors')]),
  clusterRoleBinding('ci-admin', 'cluster-admin', [sa('ci', 'deployer')]),
];
const rbac = rbacOf(snapshotOf(objects));

describe('who-can', () => {
  it('lists the subjects whose bindings allow the request, with the binding', () => {
    const entries = whoCan(rbac, { verb: 'get', resource: 'secrets', namespace: 'shop' });
    const table = renderWhoCan({ verb: 'get', resource: 'secrets', namespace: 'shop' }, entries, 'table');
    expect(table).toContain('Who can get secrets in namespace shop:');
    expect(table).toMatch(/sa:shop:web\s+shop\s+RoleBinding shop\/web-secrets → ClusterRole secret-reader/);
    expect(table).toMatch(/sa:ci:deployer\s+cluster-wide\s+ClusterRoleBinding ci-admin → ClusterRole cluster-admin/);
    const json = JSON.parse(renderWhoCan({ verb: 'get', resource: 'secrets' }, whoCan(rbac, { verb: 'get', resource: 'secrets' }), 'json'));
    // The bootstrap controller manager lists everything: who-can shows built-in grants too (marked).
    expect(json.subjects.map((s: { subject: string }) => s.subject)).toEqual(['group:system:masters', 'sa:ci:deployer', 'user:system:kube-controller-manager']);
  });

  it('says nobody when nobody can (only possible without the superuser group, i.e. never live)', () => {
    expect(renderWhoCan({ verb: 'impersonate', resource: 'users' }, [], 'table')).toBe('Who can impersonate users cluster-wide:\nnobody\n');
    expect(whoCan(rbac, { verb: 'impersonate', resource: 'users' }).map((e) => e.subject.name)).toEqual(['system:masters', 'deployer']);
  });
});

describe('access', () => {
  it('shows a service account its groups, risks and permissions', () => {
    const text = renderAccess(accessReport(rbac, { kind: 'ServiceAccount', namespace: 'shop', name: 'web' }), 'table');
    expect(text).toContain('Groups: system:serviceaccounts, system:serviceaccounts:shop, system:authenticated');
    expect(text).toMatch(/medium\s+read secrets\s+shop\s+RoleBinding\/shop\/web-secrets/);
    expect(text).toMatch(/create\s+selfsubjectaccessreviews.authorization.k8s.io/); // through system:authenticated
    const json = JSON.parse(renderAccess(accessReport(rbac, { kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' }), 'json'));
    expect(json.riskClasses[0]).toMatchObject({ riskClass: 'cluster-admin', severity: 'critical', scope: 'cluster' });
  });
});

describe('the commands over manifest files', () => {
  afterEach(() => vi.restoreAllMocks());

  it('periscope who-can and access read -f like scan', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'periscope-who-can-'));
    const file = path.join(dir, 'rbac.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    expect(await run(['node', 'periscope', 'who-can', 'list', 'secrets', '-n', 'shop', '-f', file, '--format', 'json'])).toBe(0);
    expect(JSON.parse(out.join('')).subjects.map((s: { subject: string }) => s.subject)).toEqual(['group:auditors', 'group:system:masters', 'sa:ci:deployer', 'sa:shop:web', 'user:system:kube-controller-manager']);
    out.length = 0;
    expect(await run(['node', 'periscope', 'access', 'group:auditors', '-f', file])).toBe(0);
    expect(out.join('')).toContain('read secrets');
  });

  it('rejects a malformed subject with the expected spelling', async () => {
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    expect(await run(['node', 'periscope', 'access', 'alice', '-f', '/nonexistent'])).toBe(2);
    expect(err.join('')).toContain('user:<name>');
  });
});
