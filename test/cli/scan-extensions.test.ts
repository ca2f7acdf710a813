import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../shared/cli/commands/scan.ts';
import { CliError } from '../../shared/cli/errors.ts';
import { useColor } from '../../shared/cli/output.ts';
import type { ScanExtension, ScanOptions } from '../../shared/cli/scan-extension.ts';
import { jsonReportSchema } from '../../shared/report/json.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';
import { tempFiles } from './run-cli.ts';

const privileged = deployment({ name: 'web', spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) });

/** A snapshot source selected by `--fake`, standing in for a live cluster source. */
const fakeSource: ScanExtension = {
  usage: '--fake',
  options: () => {},
  selects: (options) => options.fake === true,
  load: async () => ({ snapshot: snapshotOf([privileged]), errors: [] }),
};

describe('scan extensions', () => {
  const { dir, cleanup } = tempFiles({});
  afterAll(cleanup);
  const options = (extra: Partial<ScanOptions>): ScanOptions => ({ format: 'json', output: join(dir, 'report.json'), ...extra });
  const written = () => jsonReportSchema.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));

  it('takes the snapshot from the selected source, exceptions from any extension, and lifecycle counts after evaluation', async () => {
    const text = 'exceptions:\n  - rule: "*"\n    name: web\n    reason: accepted risk\n    owner: platform-team\n';
    const exceptions: ScanExtension = { options: () => {}, exceptions: async () => ({ file: { text, file: 'exceptions.yaml' } }) };
    const store: ScanExtension = {
      options: () => {},
      afterEvaluate: async (_input, result) => ({ lifecycle: { opened: result.findings.length, resolved: 2, unchanged: 0 } }),
    };
    const code = await scan(options({ fake: true, failOn: 'critical' }), [fakeSource, exceptions, store]);
    const report = written();
    expect(report.findings.find((finding) => finding.ruleId === 'privileged-container')).toMatchObject({
      status: 'SUPPRESSED',
      suppression: { reason: 'accepted risk', source: 'exceptions-file' },
    });
    expect(report.summary.resolved).toBe(2);
    expect(report.summary.opened).toBe(report.findings.length);
    expect(code).toBe(0);
  });

  it('refuses to run without a source, or with two', async () => {
    const other: ScanExtension = { ...fakeSource, usage: '--other' };
    await expect(scan(options({}), [fakeSource, other])).rejects.toThrow(new CliError('nothing to scan: give --fake or --other (see periscope scan --help)'));
    await expect(scan(options({ fake: true }), [fakeSource, other])).rejects.toThrow(/give one thing to scan/);
  });
});

describe('useColor', () => {
  it('colours a terminal unless NO_COLOR is set, and never a pipe or file', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });
});
