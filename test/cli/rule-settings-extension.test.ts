// `periscope scan --config <file>`: per-rule options, disabled rules and severities, through the real CLI.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRuleSettingsFile } from '../../shared/cli/rule-settings-extension.ts';
import { jsonReportSchema } from '../../shared/report/json.ts';
import { runCli, tempFiles } from './run-cli.ts';

const app = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0
      - name: proxy
        image: docker.io/envoyproxy/envoy:v1.30.0
`;

const files = tempFiles({
  'app.yaml': app,
  'periscope.yaml': `rules:
  image-registry-not-allowed:
    options:
      allowedRegistries: ['*.dkr.ecr.*.amazonaws.com', registry.k8s.io]
    severity: high
  default-namespace: {disabled: true}
  missing-resource-limits: {disabled: true}
`,
  'typo.yaml': `rules:
  image-registry-not-allowed:
    options:
      allowedRegistry: [registry.k8s.io]
`,
  'unknown.yaml': `rules:
  privileged-containers: {disabled: true}
`,
});
afterAll(files.cleanup);

const scanJson = async (...args: string[]) => {
  const result = await runCli(['scan', '-f', join(files.dir, 'app.yaml'), '--format', 'json', ...args]);
  return { ...result, report: result.code === 0 ? jsonReportSchema.parse(JSON.parse(result.stdout)) : undefined };
};

describe('periscope scan --config', () => {
  it('runs the registry rule with its options and severity, and skips disabled rules', async () => {
    const without = await scanJson();
    expect(without.code).toBe(0);
    expect(without.report!.findings.filter((f) => f.ruleId === 'image-registry-not-allowed')).toEqual([]);
    expect(without.report!.findings.some((f) => f.ruleId === 'missing-resource-limits')).toBe(true);

    const { code, report } = await scanJson('--config', join(files.dir, 'periscope.yaml'));
    expect(code).toBe(0);
    const registry = report!.findings.filter((f) => f.ruleId === 'image-registry-not-allowed');
    expect(registry.map((f) => [f.resource.container, f.severity])).toEqual([['proxy', 'high']]);
    expect(report!.findings.some((f) => f.ruleId === 'missing-resource-limits' || f.ruleId === 'default-namespace')).toBe(false);
  });

  it('rejects an unknown option and an unknown rule, naming the file, line and rule', async () => {
    const typo = await runCli(['scan', '-f', join(files.dir, 'app.yaml'), '--config', join(files.dir, 'typo.yaml')]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`${join(files.dir, 'typo.yaml')}:4: rule image-registry-not-allowed: options: `);
    expect(typo.stderr).toContain('allowedRegistry');
    const unknown = await runCli(['scan', '-f', join(files.dir, 'app.yaml'), '--config', join(files.dir, 'unknown.yaml')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${join(files.dir, 'unknown.yaml')}:2: rule privileged-containers: no such rule`);
  });
});

describe('parseRuleSettingsFile', () => {
  it('reads rules, and an empty file as no settings', () => {
    expect(parseRuleSettingsFile('rules:\n  eks-version-support: {options: {warnDays: 30}, severity: medium}\n', 'c.yaml')).toEqual({
      'eks-version-support': { options: { warnDays: 30 }, severity: 'medium' },
    });
    expect(parseRuleSettingsFile('', 'c.yaml')).toEqual({});
  });

  it('names the line of the bad field', () => {
    expect(() => parseRuleSettingsFile('rules:\n  eks-version-support:\n    options: {warnDays: -1}\n', 'c.yaml')).toThrow(
      /^c\.yaml:3: rule eks-version-support: options\.warnDays: /,
    );
    expect(() => parseRuleSettingsFile('rules:\n  eks-version-support:\n    severity: urgent\n', 'c.yaml')).toThrow(/^c\.yaml:3: rules\.eks-version-support\.severity: /);
    expect(() => parseRuleSettingsFile('rule: {}\n', 'c.yaml')).toThrow(/^c\.yaml(:1)?: \(top level\): .*rule/);
    expect(() => parseRuleSettingsFile('rules: [\n', 'c.yaml')).toThrow(/^c\.yaml:\d+: not valid YAML/);
  });
});
