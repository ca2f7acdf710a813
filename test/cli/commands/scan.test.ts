import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { jsonReportSchema } from '../../../shared/report/json.ts';
import { container, deployment, hardenedPodSpec } from '../../support/fixtures.ts';
import { runCli, tempFiles } from '../run-cli.ts';

const privilegedDeployment = deployment({
  name: 'web',
  spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }),
});
const hardenedDeployment = deployment({ name: 'safe' });
// A custom resource: no rule targets its kind.
const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'settings', namespace: 'shop' } };

// Line 1: the widget; the privileged deployment starts after the separator.
const goodYaml = `${stringify(widget)}---\n${stringify(privilegedDeployment)}`;
const deploymentLine = stringify(widget).split('\n').length + 1;
const malformedYaml = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: broken', '    labels: [', ''].join('\n');

const privilegedFinding = (report: ReturnType<typeof jsonReportSchema.parse>) =>
  report.findings.find((finding) => finding.ruleId === 'privileged-container' && finding.resource.name === 'web');

describe('periscope scan -f', () => {
  const { dir, cleanup } = tempFiles({
    'good/app.yaml': goodYaml,
    'safe/app.yaml': stringify(hardenedDeployment),
    'mixed/a-broken.yaml': malformedYaml,
    'mixed/b-good.yaml': goodYaml,
  });
  afterAll(cleanup);

  it('scans a directory and prints the findings table', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'good')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CRITICAL privileged-container {2}Privileged container {2}\(1 open\)$/m);
    expect(result.stdout).toContain(`Deployment/shop/web[app]  ${join(dir, 'good', 'app.yaml')}:${deploymentLine}`);
    expect(result.stdout).toMatch(/^Not checked \(no rule targets these kinds\): (.*, )?Widget \(1\)/m);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('writes a JSON report that validates against the schema, with file and line of each object', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'good'), '--format', 'json']);
    expect(result.code).toBe(0);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.cluster).toEqual({ id: `manifests:${join(dir, 'good')}`, name: 'good', source: 'manifests' });
    expect(report.coverage.Widget).toEqual({ complete: true, count: 1 });
    expect(privilegedFinding(report)).toMatchObject({
      status: 'OPEN',
      severity: 'critical',
      location: { file: join(dir, 'good', 'app.yaml'), line: deploymentLine },
    });
  });

  it('exits 1 with --fail-on when an open finding is at or above the threshold, 0 otherwise', async () => {
    const failing = await runCli(['scan', '-f', join(dir, 'good'), '--fail-on', 'critical', '--format', 'json']);
    expect(failing.code).toBe(1);
    expect(privilegedFinding(jsonReportSchema.parse(JSON.parse(failing.stdout)))).toBeDefined();
    const passing = await runCli(['scan', '-f', join(dir, 'safe'), '--fail-on', 'critical']);
    expect(passing.code).toBe(0);
    const noThreshold = await runCli(['scan', '-f', join(dir, 'good')]);
    expect(noThreshold.code).toBe(0);
  });

  it('does not fail on a suppressed finding', async () => {
    const suppressed = deployment({
      name: 'web',
      metadata: { annotations: { 'periscope.dev/ignore.privileged-container': 'CNI agent, reviewed by security' } },
      spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }),
    });
    const result = await runCli(['scan', '-f', '-', '--format', 'json', '--fail-on', 'critical'], { input: stringify(suppressed) });
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(privilegedFinding(report)).toMatchObject({ status: 'SUPPRESSED', suppression: { source: 'annotation' } });
    expect(report.summary.suppressed).toBeGreaterThanOrEqual(1);
    expect(report.findings.some((finding) => finding.status === 'OPEN' && finding.severity === 'critical')).toBe(false);
    expect(result.code).toBe(0);
  });

  it('reads standard input for `-` (helm template … | periscope scan -f -)', async () => {
    const result = await runCli(['scan', '-f', '-', '--format', 'json'], { input: goodYaml });
    expect(result.code).toBe(0);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.cluster).toEqual({ id: 'manifests:-', name: 'stdin', source: 'manifests' });
    expect(privilegedFinding(report)?.location).toEqual({ file: '-', line: deploymentLine });
  });

  it('writes the report to --output and only a one-line note to stderr', async () => {
    const output = join(dir, 'report.json');
    const result = await runCli(['scan', '-f', join(dir, 'good'), '--format', 'json', '--output', output]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^periscope: wrote the json report to .+: 1 critical(, .+)?$/), '']);
    expect(result.stderr).toContain(output);
    const report = jsonReportSchema.parse(JSON.parse(readFileSync(output, 'utf8')));
    expect(privilegedFinding(report)).toBeDefined();
  });

  it('writes SARIF with the file and start line of each finding', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'good'), '--format', 'sarif']);
    expect(result.code).toBe(0);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    const finding = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'privileged-container');
    expect(finding.locations[0].physicalLocation.region).toEqual({ startLine: deploymentLine });
  });

  it('scans the good file beside a malformed one, names file:line of the error, and exits 2', async () => {
    const result = await runCli(['scan', '-f', join(dir, 'mixed'), '--format', 'json', '--fail-on', 'critical']);
    expect(result.code).toBe(2);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(privilegedFinding(report)?.location).toEqual({ file: join(dir, 'mixed', 'b-good.yaml'), line: deploymentLine });
    expect(result.stderr).toContain(`periscope: ${join(dir, 'mixed', 'a-broken.yaml')}:4:9: invalid YAML: `);
    expect(result.stderr).toContain('periscope: 1 input error; everything else was scanned');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with a clear message for a missing path, and still scans the others', async () => {
    const missing = join(dir, 'missing.yaml');
    const result = await runCli(['scan', '-f', missing, '-f', join(dir, 'good'), '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`periscope: ${missing}: cannot read: no such file or directory`);
    expect(privilegedFinding(jsonReportSchema.parse(JSON.parse(result.stdout)))).toBeDefined();
  });

  it('explains usage errors in one line and exits 2', async () => {
    const nothing = await runCli(['scan']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe('periscope: nothing to scan: give -f <file|dir|-> or --context <name> | --eks <name> --region <region> (see periscope scan --help)\n');
    const badFormat = await runCli(['scan', '-f', join(dir, 'good'), '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("argument 'xml' is invalid. Allowed choices are table, json, sarif");
    const badSeverity = await runCli(['scan', '-f', join(dir, 'good'), '--fail-on', 'urgent']);
    expect(badSeverity.code).toBe(2);
    const badOutput = await runCli(['scan', '-f', join(dir, 'good'), '--output', join(dir, 'no', 'such', 'dir', 'r.json')]);
    expect(badOutput.code).toBe(2);
    expect(badOutput.stderr).toContain('cannot write the report to');
    expect(badOutput.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('periscope --version', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });
});
