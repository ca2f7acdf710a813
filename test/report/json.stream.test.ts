// The JSON report written a finding at a time: the same bytes as the whole report stringified, for every size, and
// never one string for the whole report.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/model/finding.ts';
import { jsonReportChunks, renderJson, toJsonReport } from '../../shared/report/json.ts';
import type { ScanReport } from '../../shared/report/scan-report.ts';
import { scanReport } from './scan-report-fixture.ts';

const whole = (report: ScanReport) => JSON.stringify(toJsonReport(report), null, 2) + '\n';

/** The fixture's findings repeated `times`, with awkward text (line breaks, quotes, non-ASCII, control characters). */
function manyFindings(times: number): ScanReport {
  const base = scanReport();
  const findings: Finding[] = [];
  for (let index = 0; index < times; index += 1) {
    for (const finding of base.findings) {
      findings.push({ ...finding, message: `${finding.message} #${index}\n"quoted" \u00e9\u2028\u0007`, resource: { ...finding.resource, name: `n-${index}` } });
    }
  }
  return { ...base, findings };
}

describe('jsonReportChunks', () => {
  it.each([
    ['no findings', { ...scanReport(), findings: [] }],
    ['the fixture (location, fix, suppression, frameworks)', scanReport()],
    ['with a store lifecycle', scanReport({ lifecycle: { opened: 2, resolved: 5, unchanged: 1 } })],
    ['one finding', { ...scanReport(), findings: scanReport().findings.slice(0, 1) }],
    ['a thousand findings with awkward text', manyFindings(250)],
  ])('gives the same bytes as the whole report stringified: %s', (_name, report) => {
    expect([...jsonReportChunks(report)].join('')).toBe(whole(report));
    expect(renderJson(report)).toBe(whole(report));
  });

  it('is not fooled by input text that looks like its placeholder', () => {
    const report = scanReport();
    const tricky = { ...report, cluster: { ...report.cluster, name: 'periscope-findings-00000000-0000-0000-0000-000000000000' } };
    expect([...jsonReportChunks(tricky)].join('')).toBe(whole(tricky));
  });

  it('yields one piece per finding, so no piece grows with the number of findings', () => {
    const report = manyFindings(500);
    const pieces = [...jsonReportChunks(report)];
    expect(pieces.length).toBe(report.findings.length + 3);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(2000);
  });
});

describe('writeReport', () => {
  it('writes the pieces to standard output in order, waiting for a slow reader', async () => {
    const { writeReport } = await import('../../shared/cli/output.ts');
    const report = manyFindings(200);
    const received: string[] = [];
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk.toString('utf8'));
        setImmediate(callback);
      },
    });
    const stdout = Object.getOwnPropertyDescriptor(process, 'stdout')!;
    Object.defineProperty(process, 'stdout', { value: slow, configurable: true });
    try {
      await writeReport(jsonReportChunks(report), undefined);
    } finally {
      Object.defineProperty(process, 'stdout', stdout);
    }
    expect(received.join('')).toBe(whole(report));
    expect(received.length).toBeGreaterThan(1);
  });
});
