import { describe, expect, it } from 'vitest';
import { baselineKey, InMemoryPrincipalBaseline } from '../../shared/audit/baseline.ts';

describe('InMemoryPrincipalBaseline', () => {
  it('keeps the earliest time of the cluster and of each principal × access, whatever the order', async () => {
    const baseline = new InMemoryPrincipalBaseline();
    const key = baselineKey('alice', 'secrets:shop');
    const later = await baseline.observe('c', { startedAt: '2026-12-05T00:00:00Z', observations: [{ principal: 'alice', access: 'secrets:shop', at: '2026-12-05T00:00:00Z' }] });
    expect(later.firstSeen.get(key), 'times are kept in one form, to milliseconds').toBe('2026-12-05T00:00:00.000Z');
    const earlier = await baseline.observe('c', { startedAt: '2026-12-01T00:00:00.123456Z', observations: [{ principal: 'alice', access: 'secrets:shop', at: '2026-12-01T00:00:00.123456Z' }] });
    expect(earlier).toEqual({ learningStartedAt: '2026-12-01T00:00:00.123Z', firstSeen: new Map([[key, '2026-12-01T00:00:00.123Z']]) });
    const replay = await baseline.observe('c', { startedAt: '2026-12-05T00:00:00Z', observations: [{ principal: 'alice', access: 'secrets:shop', at: '2026-12-05T00:00:00Z' }] });
    expect(replay).toEqual(earlier);
  });

  it('keeps clusters apart', async () => {
    const baseline = new InMemoryPrincipalBaseline();
    await baseline.observe('a', { startedAt: '2026-01-01T00:00:00Z', observations: [] });
    const b = await baseline.observe('b', { startedAt: '2026-06-01T00:00:00Z', observations: [] });
    expect(b.learningStartedAt).toBe('2026-06-01T00:00:00.000Z');
  });
});
