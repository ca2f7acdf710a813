import { describe, expect, it } from 'vitest';
import { SCAN_DEADLINE_MARGIN_MS, scanDeadlineMs } from '../../functions/scan-runtime.ts';

describe('scanDeadlineMs', () => {
  it('leaves the margin for recording the scan out of the invocation\'s remaining time', () => {
    expect(scanDeadlineMs(600_000)).toBe(600_000 - SCAN_DEADLINE_MARGIN_MS);
    expect(scanDeadlineMs(300_000)).toBe(210_000);
  });

  it('gives a scan started late half of what is left, and always something', () => {
    expect(scanDeadlineMs(100_000)).toBe(50_000);
    expect(scanDeadlineMs(3_000)).toBe(1_500);
    expect(scanDeadlineMs(0)).toBe(1);
  });
});
