import { describe, expect, it } from 'vitest';
import { causeOf } from '../../shared/audit/cause.ts';
import { auditEventSchema } from '../../shared/model/audit.ts';
import { auditEvent } from '../../shared/sandbox/demo/audit-log.ts';
import { jsonReportSchema, renderJson, toJsonReport } from '../../shared/report/json.ts';
import { scanReport } from './scan-report-fixture.ts';

describe('JSON report', () => {
  it('validates against its exported schema and follows the contract', () => {
    const report = jsonReportSchema.parse(JSON.parse(renderJson(scanReport())));
    expect(report.version).toBe(1);
    expect(report.cluster).toEqual({ id: 'manifests:test', name: 'test', source: 'manifests' });
    expect(report.scannedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(report.coverage.Deployment).toEqual({ complete: true, count: 2 });
    expect(report.summary).toEqual({ bySeverity: { critical: 3, high: 0, medium: 0, low: 0, info: 0 }, suppressed: 1 });
    expect(report.findings).toHaveLength(4);
  });

  it('carries title, status, resource, location, path, fix and frameworks on each finding', () => {
    const report = toJsonReport(scanReport());
    const app = report.findings.find((finding) => finding.resource.container === 'app');
    expect(app).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      ruleId: 'privileged-container',
      title: 'Privileged container',
      severity: 'critical',
      status: 'OPEN',
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', container: 'app' },
      location: { file: 'deploy/web app.yaml', line: 12 },
      message: 'Container "app" runs privileged.',
      path: 'spec.template.spec.containers[0].securityContext.privileged',
      fix: {
        description: 'Set privileged to false',
        patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }],
      },
      frameworks: {
        'owasp-k8s-2022': ['K01'],
        'cis-eks-1.8': ['4.2.1'],
        pss: ['baseline/privileged'],
        'nsa-cisa': ['pod-security'],
      },
    });
    expect(Object.keys(app!)).toEqual([
      'fingerprint', 'ruleId', 'title', 'severity', 'status', 'resource', 'location', 'message', 'path', 'fix', 'frameworks',
    ]);
  });

  it('omits location for objects not read from a file, and carries the suppression of suppressed findings', () => {
    const report = toJsonReport(scanReport());
    const api = report.findings.find((finding) => finding.resource.name === 'api');
    expect(api).toBeDefined();
    expect('location' in api!).toBe(false);
    const debug = report.findings.find((finding) => finding.resource.name === 'debug');
    expect(debug).toMatchObject({
      status: 'SUPPRESSED',
      suppression: { reason: 'break-glass pod, owned by SRE', source: 'annotation' },
    });
  });

  it('adds opened, resolved and unchanged to the summary only when a store is in use', () => {
    const withStore = toJsonReport(scanReport({ lifecycle: { opened: 2, resolved: 5, unchanged: 1 } }));
    expect(withStore.summary).toMatchObject({ opened: 2, resolved: 5, unchanged: 1 });
    expect(jsonReportSchema.safeParse(withStore).success).toBe(true);
    expect(Object.keys(toJsonReport(scanReport()).summary)).toEqual(['bySeverity', 'suppressed']);
  });

  it('has a schema that rejects what the contract does not allow', () => {
    const good = toJsonReport(scanReport());
    expect(jsonReportSchema.safeParse({ ...good, version: 2 }).success).toBe(false);
    expect(jsonReportSchema.safeParse({ ...good, extra: true }).success).toBe(false);
    const badFinding = { ...good.findings[0]!, severity: 'urgent' };
    expect(jsonReportSchema.safeParse({ ...good, findings: [badFinding] }).success).toBe(false);
    const badLine = { ...good.findings[0]!, location: { file: 'a.yaml', line: 0 } };
    expect(jsonReportSchema.safeParse({ ...good, findings: [badLine] }).success).toBe(false);
  });
});

/** What alice's `kubectl apply` of the object looked like in the audit log. */
const applied = causeOf(auditEventSchema.parse(auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'web', at: new Date('2026-11-23T10:02:00Z') })));

describe('JSON report: cause', () => {
  it('carries the audit events that introduced the object, and validates', () => {
    const base = scanReport();
    const report = jsonReportSchema.parse(JSON.parse(renderJson({ ...base, findings: base.findings.map((f) => ({ ...f, cause: [applied] })) })));
    expect(report.findings[0]?.cause).toEqual([applied]);
    expect('cause' in (toJsonReport(base).findings[0] ?? {})).toBe(false);
  });
});
