import { describe, expect, it } from 'vitest';
import { coverageOf, frameworkById } from '../../../shared/engine/frameworks.ts';
import { rules } from '../../../shared/rules/index.ts';
import { runCli } from '../run-cli.ts';

describe('periscope rules', () => {
  it('--format json lists every rule with id, title, severity, domain, targets, frameworks and remediation', async () => {
    const result = await runCli(['rules', '--format', 'json']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(listed.map((rule) => rule.id).sort()).toEqual(rules.map((rule) => rule.id).sort());
    for (const entry of listed) {
      expect(Object.keys(entry)).toEqual(['id', 'title', 'severity', 'domain', 'targets', 'frameworks', 'remediation']);
    }
    expect(listed.find((rule) => rule.id === 'privileged-container')).toEqual({
      id: 'privileged-container',
      title: 'Privileged container',
      severity: 'critical',
      domain: 'workload',
      targets: ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'],
      frameworks: {
        'owasp-k8s-2022': ['K01'],
        'cis-eks-1.8': ['4.2.1'],
        pss: ['baseline/privileged'],
        'nsa-cisa': ['pod-security'],
      },
      remediation: expect.stringContaining('securityContext.privileged'),
    });
  });

  it('prints a table of the catalogue by default', async () => {
    const result = await runCli(['rules']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^ID +SEVERITY +DOMAIN +TITLE$/);
    expect(result.stdout).toMatch(/^privileged-container +critical +workload +Privileged container$/m);
  });

  it('--framework owasp-k8s-2022 lists that framework\'s rules and every control with the rules that automate it', async () => {
    const framework = frameworkById('owasp-k8s-2022')!;
    const expected = coverageOf(framework, rules);
    const json = await runCli(['rules', '--framework', 'owasp-k8s-2022', '--format', 'json']);
    expect(json.code).toBe(0);
    const coverage = JSON.parse(json.stdout) as {
      framework: { id: string };
      controls: { id: string; status: string; rules: string[]; manual?: string }[];
      rules: { id: string; frameworks: Record<string, string[]> }[];
      counts: Record<string, number>;
    };
    expect(coverage.framework.id).toBe('owasp-k8s-2022');
    expect(coverage.controls.map((control) => control.id)).toEqual(['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07', 'K08', 'K09', 'K10']);
    expect(coverage.controls.map((control) => control.rules)).toEqual(expected.map((row) => row.rules));
    expect(coverage.controls.find((control) => control.id === 'K01')!.rules).toContain('privileged-container');
    for (const control of coverage.controls) {
      expect(control.status).toBe(control.rules.length > 0 ? 'automated' : control.manual ? 'manual' : 'not-automated');
    }
    expect(coverage.rules.length).toBeGreaterThan(0);
    for (const rule of coverage.rules) expect(rule.frameworks['owasp-k8s-2022']?.length).toBeGreaterThan(0);
    const unmapped = rules.filter((rule) => !rule.meta.frameworks['owasp-k8s-2022']?.length).map((rule) => rule.id);
    for (const id of unmapped) expect(coverage.rules.map((rule) => rule.id)).not.toContain(id);

    const table = await runCli(['rules', '--framework', 'owasp-k8s-2022']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('OWASP Kubernetes Top 10 (2022) (owasp-k8s-2022)');
    for (const row of expected) {
      const line = table.stdout.split('\n').find((text) => text.startsWith(`${row.control.id} `));
      expect(line, `a coverage line for ${row.control.id}`).toBeDefined();
      if (row.rules.length > 0) for (const id of row.rules) expect(line).toContain(id);
      else expect(line).toMatch(/- \((no rule yet|manual: .+)\)$/);
    }
    const missing = expected.filter((row) => row.rules.length === 0 && !row.control.manual).map((row) => row.control.id);
    if (missing.length > 0) expect(table.stdout).toContain(`No rule yet: ${missing.join(', ')}.`);
    const automated = expected.filter((row) => row.rules.length > 0).length;
    expect(table.stdout).toContain(`${automated} of 10 controls automated`);
  });

  it('shows the controls no rule can automate with their manual reason (CIS EKS)', async () => {
    const result = await runCli(['rules', '--framework', 'cis-eks-1.8']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^3\.1\.1 +.+- \(manual: needs access to the worker node file system or kubelet configuration\)$/m);
    expect(result.stdout).toMatch(/^Manual check \(no agentless rule can automate\): .*3\.1\.1/m);
  });

  it('rejects an unknown framework, naming the known ones, with exit 2 and no stack trace', async () => {
    const result = await runCli(['rules', '--framework', 'iso-27001']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'periscope: unknown framework "iso-27001"; known frameworks: owasp-k8s-2022, cis-eks-1.8, pss, nsa-cisa\n',
    );
    expect(result.stdout).toBe('');
  });
});
