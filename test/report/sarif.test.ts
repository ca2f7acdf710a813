import { describe, expect, it } from 'vitest';
import { fingerprintKey, fileUri, sarifLevel, toSarif, type SarifLog, type SarifResult } from '../../shared/report/sarif.ts';
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
});
