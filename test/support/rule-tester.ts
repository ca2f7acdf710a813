// RuleTester: valid and invalid cases per rule, exact findings, fixes that apply and resolve, frozen inputs.
import { describe, expect, it } from 'vitest';
import { formatMessage, type AnyRule } from '../../shared/engine/rule.ts';
import { engineErrorRuleId, runRules, type RuleSetting } from '../../shared/engine/run.ts';
import type { Finding, Fix, Severity } from '../../shared/model/finding.ts';
import { refKey, refOf, type KubeObject } from '../../shared/model/kube.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { snapshotOf } from './fixtures.ts';
import { fixRoundTrip } from './fix-rescan.ts';
import { applyPatch } from './json-patch.ts';

export interface ValidCase {
  name: string;
  /** The object under test. */
  object?: KubeObject;
  /** Other objects in the snapshot (namespaces, bindings, services...). */
  objects?: KubeObject[];
  /** Overrides of the snapshot (clusterInfo, coverage...). */
  snapshot?: Partial<Snapshot>;
  /** The rule's settings for this case (options, severity), as a --config file would give them. */
  settings?: RuleSetting;
}

export interface ExpectedFinding {
  messageId: string;
  path: string;
  /** Placeholder values: the message must be the rule's template filled with these. */
  data?: Record<string, string | number>;
  container?: string;
  severity?: Severity;
  /** Kind/namespace/name of the resource when it is not the object under test. */
  resource?: { kind: string; namespace?: string; name: string };
  /** The exact fix, or `null` when the finding must carry none. Omitted: any fix (or none) is accepted. */
  fix?: Fix | null;
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
  /** Each fix must make its finding go away when applied to the object under test (default true). */
  fixResolves?: boolean;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function snapshotFor(testCase: ValidCase, object: KubeObject | undefined): Snapshot {
  const objects = [...(object ? [object] : []), ...(testCase.objects ?? [])];
  return deepFreeze(snapshotOf(structuredClone(objects), testCase.snapshot ? structuredClone(testCase.snapshot) : {}));
}

function evaluate(rule: AnyRule, testCase: ValidCase, object = testCase.object): Finding[] {
  const ruleSettings = testCase.settings ? { [rule.id]: testCase.settings } : {};
  const findings = runRules(snapshotFor(testCase, object), [rule], { ruleSettings }).findings;
  const errors = findings.filter((f) => f.ruleId === engineErrorRuleId);
  if (errors.length > 0) throw new Error(`rule ${rule.id} threw: ${errors.map((e) => e.message).join('; ')}`);
  return findings;
}

const order = (a: { path: string; messageId?: string }, b: { path: string; messageId?: string }): number =>
  a.path.localeCompare(b.path) || (a.messageId ?? '').localeCompare(b.messageId ?? '');

export const ruleTester = {
  run(rule: AnyRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
    describe(rule.id, () => {
      it('has at least one valid and one invalid case', () => {
        expect(cases.valid.length).toBeGreaterThan(0);
        expect(cases.invalid.length).toBeGreaterThan(0);
      });

      for (const testCase of cases.valid) {
        it(`valid: ${testCase.name}`, () => {
          expect(evaluate(rule, testCase).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
        });
      }

      for (const testCase of cases.invalid) {
        it(`invalid: ${testCase.name}`, () => {
          const findings = evaluate(rule, testCase);
          const actual = findings
            .map((f) => ({ finding: f, path: f.path, messageId: messageIdOf(rule, f) }))
            .sort(order);
          const expected = [...testCase.findings].sort(order);
          expect(actual.map((a) => `${a.messageId} @ ${a.path}`)).toEqual(
            expected.map((e) => `${e.messageId} @ ${e.path}`),
          );
          const subject = testCase.object ? refOf(testCase.object) : undefined;
          expected.forEach((want, i) => {
            const got = actual[i]!.finding;
            expect(got.message).not.toMatch(/\{\{/);
            if (want.data) expect(got.message).toBe(formatMessage(rule.meta.messages[want.messageId]!, want.data));
            if (want.container !== undefined) expect(got.resource.container).toBe(want.container);
            expect(got.severity).toBe(want.severity ?? testCase.settings?.severity ?? rule.meta.severity);
            const resource = want.resource ?? subject;
            if (resource) expect(refKey(got.resource)).toBe(refKey(resource));
            if (want.fix === null) expect(got.fix).toBeUndefined();
            else if (want.fix !== undefined) expect(got.fix).toEqual(want.fix);
            if (got.fix && testCase.object && testCase.fixResolves !== false) {
              const fixed = applyPatch(testCase.object, got.fix.patch);
              const after = evaluate(rule, testCase, fixed);
              expect(after.map((f) => f.fingerprint), `fix of "${got.message}" must resolve it`).not.toContain(
                got.fingerprint,
              );
            }
          });
        });
      }

      // `periscope fix` on the same case written as a YAML file: each fix applied in place, and a rescan with every
      // rule finds the fixed findings gone and nothing new.
      for (const testCase of cases.invalid) {
        if (!testCase.object || testCase.fixResolves === false) continue;
        if (!evaluate(rule, testCase).some((finding) => finding.fix)) continue;
        it(`periscope fix: ${testCase.name}`, () => {
          const { outcome, before, after, fixable } = fixRoundTrip(rule, [testCase.object!, ...(testCase.objects ?? [])], testCase.snapshot, testCase.settings);
          expect(outcome.errors.map((error) => `${error.file}:${error.line ?? ''} ${error.message}`)).toEqual([]);
          expect(fixable.length, 'the case has a fixable finding').toBeGreaterThan(0);
          expect(outcome.skipped.map((skip) => skip.reason)).toEqual([]);
          expect(outcome.changes.map((change) => change.file)).toEqual(['case.yaml']);
          const remaining = new Set(after.map((finding) => finding.fingerprint));
          const fixed = fixable.filter((finding) => !outcome.skipped.some((skip) => skip.finding.fingerprint === finding.fingerprint));
          expect(fixed.filter((finding) => remaining.has(finding.fingerprint)).map((finding) => finding.message)).toEqual([]);
          // Only what a decision accepted may appear (a lesser finding in place of the fixed one, on the same object).
          const earlier = new Set([...before, ...outcome.accepted.map((entry) => entry.finding)].map((finding) => finding.fingerprint));
          expect(after.filter((finding) => !earlier.has(finding.fingerprint)).map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
        });
      }
    });
  },
};

/** The message id a finding came from, found by matching its message against the rule's templates. */
function messageIdOf(rule: AnyRule, finding: Finding): string {
  for (const [id, template] of Object.entries(rule.meta.messages)) {
    const pattern = new RegExp(
      '^' + template.split(/\{\{\s*\w+\s*\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*') + '$',
    );
    if (pattern.test(finding.message)) return id;
  }
  return '?';
}
