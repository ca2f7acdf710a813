// A manifest directory with an entry that cannot be read (a broken or looping link, a malformed file): an input
// error in every format, a non-zero exit, and the findings recorded from that file stay open in the store.
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { jsonReportSchema } from '../../../shared/report/json.ts';
import { container, deployment, hardenedPodSpec } from '../../support/fixtures.ts';
import { runCli, tempFiles } from '../run-cli.ts';

const privileged = stringify(deployment({ name: 'web', spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) }));
const safe = stringify(deployment({ name: 'safe' }));
const slow = { timeout: 120_000 };

describe('periscope scan -f with an unreadable entry', () => {
  const { dir, cleanup } = tempFiles({ 'app/web.yaml': privileged, 'app/safe.yaml': safe, 'home/.keep': '' });
  afterAll(cleanup);
  const env = { PERISCOPE_HOME: join(dir, 'home') };
  const scan = (...args: string[]) => runCli(['scan', '-f', join(dir, 'app'), '--store', 'local', '--format', 'json', ...args], { env });

  it('keeps the findings of a file that became a broken link open, and exits 2', slow, async () => {
    const first = await scan();
    expect(first.code).toBe(0);
    const web = jsonReportSchema.parse(JSON.parse(first.stdout)).findings.find((f) => f.resource.name === 'web' && f.ruleId === 'privileged-container');
    expect(web?.status).toBe('OPEN');

    rmSync(join(dir, 'app', 'web.yaml'));
    symlinkSync(join(dir, 'app', 'moved-away.yaml'), join(dir, 'app', 'web.yaml'));
    const second = await scan();
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`${join(dir, 'app', 'web.yaml')}: cannot read: a broken symbolic link (its target does not exist)`);
    const report = jsonReportSchema.parse(JSON.parse(second.stdout));
    expect(report.inputErrors).toEqual([{ file: join(dir, 'app', 'web.yaml'), message: 'cannot read: a broken symbolic link (its target does not exist)' }]);
    expect(report.coverageSummary.complete).toBe(false);
    expect(report.summary.resolved).toBe(0);
    expect(report.findings.find((f) => f.fingerprint === web!.fingerprint)?.status).toBe('OPEN');

    rmSync(join(dir, 'app', 'web.yaml'));
    symlinkSync(join(dir, 'app', 'web.yaml'), join(dir, 'app', 'web.yaml'));
    const looping = await scan('--format', 'table');
    expect(looping.code).toBe(2);
    expect(looping.stdout).toMatch(/^INCOMPLETE SCAN: .*1 input could not be read/m);
    expect(looping.stdout).toContain(`  ${join(dir, 'app', 'web.yaml')}: cannot read: a symbolic link that loops`);
    expect(looping.stderr).toMatch(/: 0 new, 0 resolved, /);
  });

  it('carries input errors in SARIF as notifications with their file and line', slow, async () => {
    const broken = tempFiles({ 'a.yaml': ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: broken', '    labels: [', ''].join('\n'), 'b.yaml': safe });
    try {
      symlinkSync(join(broken.dir, 'nowhere.yaml'), join(broken.dir, 'c.yaml'));
      const result = await runCli(['scan', '-f', broken.dir, '--format', 'sarif'], { cwd: broken.dir });
      expect(result.code).toBe(2);
      const [invocation] = JSON.parse(result.stdout).runs[0].invocations;
      expect(invocation.executionSuccessful).toBe(false);
      const inputs = invocation.toolExecutionNotifications.filter((n: { descriptor: { id: string } }) => n.descriptor.id === 'input-error');
      expect(inputs).toEqual([
        {
          level: 'error',
          message: { text: `${join(broken.dir, 'c.yaml')}: cannot read: a broken symbolic link (its target does not exist)` },
          descriptor: { id: 'input-error' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'c.yaml' } } }],
        },
        {
          level: 'error',
          message: { text: expect.stringMatching(/a\.yaml:4:9: invalid YAML: /) },
          descriptor: { id: 'input-error' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'a.yaml' }, region: { startLine: 4, startColumn: 9 } } }],
        },
      ]);
    } finally {
      broken.cleanup();
    }
  });
});
