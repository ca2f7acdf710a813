import { describe, expect, it } from 'vitest';
import { supportWindowOf } from '../../shared/facts/kubernetes-versions.ts';

describe('supportWindowOf', () => {
  it('ignores an API answer about another version', () => {
    const window = supportWindowOf('1.31', { clusterVersion: '1.30', endOfStandardSupportDate: '2025-07-23' });
    expect(window).toMatchObject({ source: 'calendar', endOfStandardSupportDate: '2025-11-26' });
  });
});
