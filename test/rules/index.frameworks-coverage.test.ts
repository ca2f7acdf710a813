// Every OWASP Kubernetes Top 10 (2022) category is automated by at least two registered rules (issue 6, item 8).
import { describe, expect, it } from 'vitest';
import { coverageOf, frameworkById } from '../../shared/engine/frameworks.ts';
import { rules } from '../../shared/rules/index.ts';

describe('framework coverage of the registry', () => {
  const owasp = frameworkById('owasp-k8s-2022')!;

  it('lists all ten OWASP categories', () => {
    expect(owasp.controls.map((c) => c.id)).toEqual(['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07', 'K08', 'K09', 'K10']);
  });

  it('automates every OWASP category with at least two rules', () => {
    const thin = coverageOf(owasp, rules)
      .filter((c) => c.rules.length < 2)
      .map((c) => `${c.control.id} ${c.control.title}: ${c.rules.length} rule(s) [${c.rules.join(', ')}]`);
    expect(thin).toEqual([]);
  });
});
