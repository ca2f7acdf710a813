import { describe, expect, it } from 'vitest';
import { groupByRule, renderTable } from '../../shared/report/table.ts';
import { scanReport } from './scan-report-fixture.ts';

describe('table report', () => {
  it('groups open findings by rule, counting suppressed ones apart', () => {
    const report = scanReport();
    const groups = groupByRule(report.findings, report);
    expect(groups.map((group) => [group.ruleId, group.severity, group.open.length, group.suppressed])).toEqual([
      ['privileged-container', 'critical', 3, 1],
    ]);
  });

  it('shows each rule once with its resources, messages and fix, then the counts', () => {
    const text = renderTable(
      scanReport({
        uncheckedKinds: { ConfigMap: 2, Service: 0 },
        inputErrors: [{ file: 'bad.yaml', line: 4, column: 3, message: 'invalid YAML: Nested mappings are not allowed in compact mappings; this document was skipped' }],
        skipped: [
          { ruleId: 'eks-audit-logging', reason: 'needs EKS cluster facts' },
          { ruleId: 'eks-public-endpoint', reason: 'needs EKS cluster facts' },
        ],
      }),
    );
    const lines = text.split('\n');
    expect(lines.filter((line) => line.includes('privileged-container'))).toEqual([
      'CRITICAL privileged-container  Privileged container  (3 open, 1 suppressed)',
    ]);
    expect(text).toContain('  Deployment/shop/web[app]      deploy/web app.yaml:12\n');
    expect(text).toContain('  Deployment/payments/api[api]\n');
    // The suppressed pod is listed after the open findings, with why, not among them.
    const [open, suppressedSection] = text.split('Suppressed findings, by reason:\n') as [string, string];
    expect(open).not.toContain('Pod/shop/debug');
    expect(suppressedSection.split('\n')[0]).toBe('  1 × break-glass pod, owned by SRE (annotation): Pod/shop/debug[shell]');
    expect(text).toContain('  - Container "app" runs privileged.\n');
    expect(text).toContain('  Fix: Remove `securityContext.privileged: true`;');
    expect(text).toContain('Open findings: 3 critical, 0 high, 0 medium, 0 low, 0 info\n');
    expect(text).toContain('Suppressed: 1\n');
    expect(text).toContain('Not checked (no rule targets these kinds): ConfigMap (2)\n');
    expect(text).toContain('Not run (needs EKS cluster facts): eks-audit-logging, eks-public-endpoint\n');
    expect(text).toContain('Input errors: 1');
    expect(text).toContain('  bad.yaml:4:3: invalid YAML');
    expect(text).not.toContain('\u001b[');
  });

  it('lists suppressed findings grouped by reason, source and owner, with the first few resources', () => {
    const base = scanReport();
    const legacy = { reason: 'Legacy app,\nbeing rewritten', source: 'exceptions-file' as const, owner: 'team-shop', exceptionId: 'legacy', expiresAt: '2026-12-31' };
    const findings = base.findings.map((finding) =>
      finding.resource.kind === 'Deployment' ? { ...finding, status: 'SUPPRESSED' as const, suppression: legacy } : finding,
    );
    const text = renderTable({ ...base, findings }, { maxSuppressedResources: 2 });
    expect(text).toContain('No open findings.');
    const section = text.slice(text.indexOf('Suppressed findings, by reason:\n')).split('\n');
    expect(section.slice(1, 4)).toEqual([
      '  3 × Legacy app, being rewritten (exceptions-file legacy, owner team-shop, expires 2026-12-31): ' +
        'Deployment/payments/api[api], Deployment/shop/web[app], … and 1 more',
      '  1 × break-glass pod, owned by SRE (annotation): Pod/shop/debug[shell]',
      '',
    ]);
    expect(text).toContain('Suppressed: 4\n');
    const capped = renderTable({ ...base, findings }, { maxSuppressedReasons: 1 });
    expect(capped).toContain('  … and 1 more reason (the JSON and HTML reports list them all)\n');
    expect(capped).not.toContain('break-glass');
  });

  it('limits the resources and messages listed per rule', () => {
    const text = renderTable(scanReport(), { maxResources: 1, maxMessages: 1 });
    expect(text).toContain('  … and 2 more resources\n');
    expect(text).toContain('  - … 2 more messages\n');
  });

  it('colours only when asked', () => {
    expect(renderTable(scanReport(), { color: true })).toContain('\u001b[1;35mCRITICAL');
  });

  it('says so when nothing is open, and shows store counts when a store is in use', () => {
    const text = renderTable(scanReport({ findings: [], lifecycle: { opened: 0, resolved: 4, unchanged: 2 } }));
    expect(text).toContain('No open findings.');
    expect(text).toContain('Since the last scan: 0 opened, 4 resolved, 2 unchanged');
  });
});
