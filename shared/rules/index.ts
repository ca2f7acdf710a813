// The rule catalogue: one line per rule, sorted by id. Adding a rule = one file, one test, one line here.
import type { AnyRule } from '../engine/rule.ts';
import privilegedContainer from './workload/privileged-container.ts';

export const rules: readonly AnyRule[] = [privilegedContainer];

export function ruleById(id: string): AnyRule | undefined {
  return rules.find((rule) => rule.id === id);
}
