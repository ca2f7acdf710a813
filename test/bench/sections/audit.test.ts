// The audit-stream benchmark at a tiny size: it runs and its figures are well formed (timings belong in BENCHMARKS.md).
import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../../bench/report.ts';
import { auditSection } from '../../../bench/sections/audit.ts';

describe('the audit-stream benchmark', () => {
  it('decodes every synthetic event, finds changes and findings, and renders its table', async () => {
    const result = await auditSection({ events: 500, perPayload: 100, rounds: 1 });
    expect(result).toMatchObject({ events: 500, payloads: 5 });
    expect(result.relevantChanges).toBeGreaterThan(0);
    expect(result.relevantChanges).toBeLessThan(500);
    expect(result.findings).toBeGreaterThan(0);
    expect(result.deliveredShare).toBeGreaterThan(0);
    expect(result.deliveredShare).toBeLessThan(1);
    for (const figure of [result.eventsPerSecond, result.deliveredPerSecond, result.floorMs, result.floorRatio, result.payloadKiB]) expect(figure).toBeGreaterThan(0);
    const markdown = toMarkdown({ startedAt: 'now', machine: { cpus: 2, cpuModel: 'x', memoryGiB: 1, node: 'v24', platform: 'linux', loadAverage: [1] }, sections: { audit: result } });
    expect(markdown).toContain('### Audit stream: 500 events in 5 subscription payloads');
    expect(markdown).not.toMatch(/NaN|undefined/);
  });
});
