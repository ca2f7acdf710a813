import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runRules } from '../../shared/engine/run.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { SourceLocation } from '../../shared/model/snapshot.ts';
import { artifactUri, fingerprintKey, fileUri, sarifLevel, toSarif, type SarifLog, type SarifResult } from '../../shared/report/sarif.ts';
import admissionPolicyEngineMissing from '../../shared/rules/policy/admission-policy-engine-missing.ts';
import namespaceNetworkPolicyMissing from '../../shared/rules/network/namespace-network-policy-missing.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';
import { scanReport } from './scan-report-fixture.ts';

describe('SARIF report', () => {
  const log = JSON.parse(JSON.stringify(toSarif(scanReport(), '1.2.3'))) as SarifLog;
  const run = log.runs[0]!;
  /** The result about the resource whose qualified name starts with this. */
  const resultFor = (qualified: string): SarifResult =>
    run.results.find((result) => result.locations[0]!.logicalLocations[0]!.fullyQualifiedName.startsWith(qualified))!;

  it('has the required SARIF 2.1.0 structure', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'Periscope', version: '1.2.3' });
    for (const result of run.results) {
      expect(typeof result.ruleId).toBe('string');
      expect(typeof result.message.text).toBe('string');
      expect(['error', 'warning', 'note', 'none']).toContain(result.level);
      expect(run.tool.driver.rules[result.ruleIndex!]!.id).toBe(result.ruleId);
      expect(result.locations.length).toBeGreaterThan(0);
    }
  });

  it('describes each rule with its help, level, tags and security-severity', () => {
    expect(run.tool.driver.rules).toEqual([
      {
        id: 'privileged-container',
        name: 'PrivilegedContainer',
        shortDescription: { text: 'Privileged container' },
        fullDescription: { text: expect.stringContaining('all Linux capabilities') },
        help: { text: expect.stringContaining('securityContext.privileged'), markdown: expect.stringContaining('Remediation') },
        defaultConfiguration: { level: 'error' },
        properties: {
          tags: expect.arrayContaining(['security', 'workload', 'owasp-k8s-2022:K01', 'pss:baseline/privileged']),
          frameworks: expect.objectContaining({ 'cis-eks-1.8': ['4.2.1'] }),
          'security-severity': '9.5',
          precision: 'high',
        },
      },
    ]);
  });

  it('locates findings from files by URI and start line, and every finding by resource', () => {
    const app = resultFor('Deployment/shop/web/app');
    expect(app.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/web%20app.yaml' },
      region: { startLine: 12 },
    });
    expect(app.locations[0]!.logicalLocations).toEqual([
      { name: 'app', fullyQualifiedName: 'Deployment/shop/web/app', kind: 'member' },
    ]);
    expect(app.partialFingerprints[fingerprintKey]).toMatch(/^[0-9a-f]{32}$/);
    const api = resultFor('Deployment/payments/api');
    expect(api.locations[0]!.physicalLocation).toBeUndefined();
    expect(api.fixes).toBeUndefined();
    expect(api.properties.fix).toMatchObject({ patch: [{ op: 'replace' }] });
  });

  it('carries the fix as text, with an artifact change that edits nothing', () => {
    const app = resultFor('Deployment/shop/web/app');
    expect(app.fixes).toHaveLength(1);
    expect(app.fixes![0]!.description.text).toContain('Set privileged to false');
    expect(app.fixes![0]!.description.text).toContain('/spec/template/spec/containers/0/securityContext/privileged');
    expect(app.fixes![0]!.artifactChanges).toEqual([
      {
        artifactLocation: { uri: 'deploy/web%20app.yaml' },
        replacements: [{ deletedRegion: { startLine: 12, startColumn: 1, endColumn: 1 } }],
      },
    ]);
  });

  it('marks suppressed findings with the reason, and gives standard-input findings no file', () => {
    const debug = resultFor('Pod/shop/debug');
    expect(debug.suppressions).toEqual([{ kind: 'inSource', justification: 'break-glass pod, owned by SRE' }]);
    expect(debug.locations[0]!.physicalLocation).toBeUndefined();
  });

  it('maps severities to levels and paths to relative URIs', () => {
    expect(['critical', 'high', 'medium', 'low', 'info'].map((s) => sarifLevel(s as never))).toEqual([
      'error', 'error', 'warning', 'note', 'note',
    ]);
    expect(fileUri('k8s\\base\\app #1.yaml')).toBe('k8s/base/app%20%231.yaml');
  });

  it('writes artifact URIs relative to the current directory when the file is under it, absolute otherwise', () => {
    const cwd = join('/', 'work', 'repo');
    expect(artifactUri(join(cwd, 'k8s', 'web app.yaml'), cwd)).toBe('k8s/web%20app.yaml');
    expect(artifactUri('./k8s/app.yaml', cwd)).toBe('k8s/app.yaml');
    expect(artifactUri(join('/', 'elsewhere', 'app.yaml'), cwd)).toBe('file:///elsewhere/app.yaml');
    expect(artifactUri('../other/app.yaml', cwd)).toBe('file:///work/other/app.yaml');
  });
});

describe('SARIF for a manifest scan: findings without a file of their own', () => {
  const cwd = join('/', 'work', 'repo');
  const privileged = hardenedPodSpec({ containers: [container({ name: 'app', securityContext: { privileged: true } })] });
  const settings: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } };
  const web = deployment({ name: 'web', namespace: 'shop', spec: privileged });
  const api = deployment({ name: 'api', namespace: 'payments', spec: privileged });
  const objects: KubeObject[] = [web, settings, api];
  const locations = new WeakMap<object, SourceLocation>([
    [web, { file: join(cwd, 'k8s', 'shop.yaml'), line: 20 }],
    [settings, { file: join(cwd, 'k8s', 'shop.yaml'), line: 7 }],
    [api, { file: 'k8s/payments.yaml', line: 3 }],
  ]);
  const base = snapshotOf(objects, { locations });
  const snapshot = {
    ...base,
    coverage: { ...base.coverage, NetworkPolicy: { complete: true, count: 0 }, ValidatingWebhookConfiguration: { complete: true, count: 0 } },
  };
  const rules = [privilegedContainer, namespaceNetworkPolicyMissing, admissionPolicyEngineMissing];
  const result = runRules(snapshot, rules);
  const report = { cluster: snapshot.cluster, scannedAt: snapshot.takenAt, coverage: snapshot.coverage, findings: result.findings, rules };
  const log = JSON.parse(JSON.stringify(toSarif(report, '1.2.3', { snapshot, cwd }))) as SarifLog;
  const results = log.runs[0]!.results;
  const physical = (ruleId: string, qualified: string) =>
    results.find((r) => r.ruleId === ruleId && r.locations[0]!.logicalLocations[0]!.fullyQualifiedName.startsWith(qualified))!
      .locations[0]!.physicalLocation;

  it('gives every result a file, keeping the SARIF 2.1.0 structure', () => {
    expect(new Set(results.map((r) => r.ruleId))).toEqual(new Set(rules.map((rule) => rule.id)));
    for (const r of results) {
      expect(log.runs[0]!.tool.driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(r.locations[0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: expect.any(String) }, region: { startLine: expect.any(Number) } });
      expect(r.locations[0]!.physicalLocation!.region.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it('shows a namespace finding at the first object of the namespace, and a cluster one at the first file', () => {
    expect(physical('privileged-container', 'Deployment/shop/web')).toEqual({ artifactLocation: { uri: 'k8s/shop.yaml' }, region: { startLine: 20 } });
    expect(physical('namespace-network-policy-missing', 'Namespace/shop')).toEqual({ artifactLocation: { uri: 'k8s/shop.yaml' }, region: { startLine: 7 } });
    expect(physical('namespace-network-policy-missing', 'Namespace/payments')).toEqual({
      artifactLocation: { uri: 'k8s/payments.yaml' },
      region: { startLine: 3 },
    });
    const cluster = results.find((r) => r.ruleId === 'admission-policy-engine-missing')!;
    expect(cluster.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'k8s/payments.yaml' }, region: { startLine: 1 } });
    // A borrowed location carries no fix: the fix edits the finding's own object.
    expect(cluster.fixes).toBeUndefined();
  });

  it('gives no file when nothing was read from one (a live scan, or standard input)', () => {
    const unlocated = { ...report, findings: report.findings.map(({ location: _location, ...finding }) => finding) };
    const live = toSarif(unlocated, '1.2.3', { snapshot: { ...snapshot, locations: new WeakMap() }, cwd });
    expect(live.runs[0]!.results).toHaveLength(results.length);
    expect(live.runs[0]!.results.every((r) => r.locations[0]!.physicalLocation === undefined)).toBe(true);
    const stdin = new WeakMap<object, SourceLocation>(objects.map((object) => [object, { file: '-', line: 1 }]));
    const piped = toSarif(unlocated, '1.2.3', { snapshot: { ...snapshot, locations: stdin }, cwd });
    expect(piped.runs[0]!.results.every((r) => r.locations[0]!.physicalLocation === undefined)).toBe(true);
  });
});
