import { describe, expect, it } from 'vitest';
import { rules } from '../../shared/rules/index.ts';
import { pssPack } from '../../shared/rules/pss.ts';

describe('the Pod Security Standards pack', () => {
  it('is exactly the catalogue rules mapped to a PSS check, in catalogue order', () => {
    expect(pssPack.map((rule) => rule.id)).toEqual(rules.filter((rule) => (rule.meta.frameworks.pss ?? []).length > 0).map((rule) => rule.id));
    for (const rule of pssPack) expect(rules).toContain(rule);
  });

  it('holds the PSS rules and privileged-container', () => {
    expect(pssPack).toHaveLength(19);
    expect(pssPack.map((rule) => rule.id)).toContain('privileged-container');
  });
});
