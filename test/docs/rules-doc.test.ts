import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { frameworks } from '../../shared/engine/frameworks.ts';
import { renderRuleDocs } from '../../shared/report/rule-docs.ts';
import { rules } from '../../shared/rules/index.ts';
import { ruleDocs, ruleDocsPath } from '../../scripts/gen-rule-docs.ts';
import privilegedContainer from '../../shared/rules/workload/privileged-container.ts';

describe('docs/rules.md', () => {
  it('is up to date with the rule metadata', () => {
    const stale = 'docs/rules.md is stale: run `npm run docs` and commit the result';
    expect(existsSync(ruleDocsPath), stale).toBe(true);
    expect(readFileSync(ruleDocsPath, 'utf8') === ruleDocs(), stale).toBe(true);
  });

  it('has a section per rule and a coverage table per framework', () => {
    const text = ruleDocs();
    for (const rule of rules) {
      expect(text).toContain(`### ${rule.id}\n`);
      expect(text).toContain(`- Severity: ${rule.meta.severity}\n`);
    }
    for (const framework of frameworks) {
      expect(text).toContain(`### ${framework.title} (\`${framework.id}\`)\n`);
      for (const control of framework.controls) expect(text).toContain(`| \`${control.id}\` | `);
    }
  });

  it('renders a rule with its metadata, and a control without rules as manual or missing', () => {
    const text = renderRuleDocs([privilegedContainer], frameworks);
    expect(text).toContain(
      [
        '### privileged-container',
        '',
        '**Privileged container**',
        '',
        '- Severity: critical',
        '- Domain: workload',
        '- Checks: `Pod`, `Deployment`, `ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob`, `ReplicationController`',
        "- Frameworks: owasp-k8s-2022: `K01`; cis-eks-1.8: `4.2.1`; pss: `baseline/privileged`; nsa-cisa: `pod-security`",
      ].join('\n'),
    );
    expect(text).toContain(`**Remediation.** ${privilegedContainer.meta.remediation}`);
    expect(text).toContain('| `4.2.1` | Minimize the admission of privileged containers | [privileged-container](#privileged-container) |');
    expect(text).toContain('| `3.1.1` | Kubeconfig file permissions are 644 or more restrictive | manual: needs access to the worker node file system or kubelet configuration |');
    expect(text).toContain('| `K03` | Overly Permissive RBAC Configurations | no rule yet |');
    expect(text).toContain('1 of 10 controls automated, 0 need a manual check, 9 have no rule yet.');
  });
});
