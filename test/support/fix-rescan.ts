// The `periscope fix` round trip for a RuleTester case: the case's objects written as one multi-document YAML file,
// the rule's fixes applied to it by the fix engine, and the edited text parsed and scanned again with every rule.
import { stringify } from 'yaml';
import type { AnyRule } from '../../shared/engine/rule.ts';
import { runRules, type RuleSetting } from '../../shared/engine/run.ts';
import type { DecisionValues } from '../../shared/fix/decisions.ts';
import { planFixes, type FixOutcome } from '../../shared/fix/engine.ts';
import { parseManifests, type ManifestObject } from '../../shared/kube/manifests.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { rules as catalogue } from '../../shared/rules/index.ts';
import { snapshotOf } from './fixtures.ts';

/** Every decision answered, so that fixes needing one are exercised too. */
export const allDecisions: DecisionValues = {
  runAsUser: 10001,
  seccompProfile: 'RuntimeDefault',
  appArmorProfile: 'RuntimeDefault',
  limitsFromRequests: true,
  envToSecret: true,
};

export const caseFile = 'case.yaml';

/** The objects as a YAML file a person could have written: a comment, documents separated by `---`. */
export function manifestText(objects: readonly KubeObject[]): string {
  return `# written by the RuleTester\n${objects.map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n')}`;
}

export interface RoundTrip {
  outcome: FixOutcome;
  before: Finding[];
  after: Finding[];
  /** The rule's findings on the case that carried a fix before. */
  fixable: Finding[];
}

export function fixRoundTrip(
  rule: AnyRule,
  objects: readonly KubeObject[],
  extra: Partial<Snapshot> = {},
  settings?: RuleSetting,
): RoundTrip {
  const ruleSettings = settings ? { [rule.id]: settings } : {};
  const scan = (read: readonly ManifestObject[]): Finding[] => {
    const snapshot = snapshotOf(
      read.map((entry) => entry.object),
      structuredClone(extra),
    );
    snapshot.locations = new WeakMap(read.map((entry) => [entry.object, entry.location]));
    return runRules(snapshot, catalogue, { ruleSettings }).findings;
  };
  const text = manifestText(objects);
  const read = parseManifests(text, caseFile);
  if (read.errors.length > 0) throw new Error(`the case does not round-trip through YAML: ${read.errors[0]!.message}`);
  const before = scan(read.objects);
  const outcome = planFixes({
    objects: read.objects,
    files: new Map([[caseFile, text]]),
    notInPlace: new Map(),
    scan,
    select: (finding) => finding.ruleId === rule.id,
    decisions: allDecisions,
  });
  const change = outcome.changes.find((entry) => entry.file === caseFile);
  const reread = parseManifests(change?.after ?? text, caseFile);
  return {
    outcome,
    before,
    after: scan(reread.objects),
    fixable: before.filter((finding) => finding.ruleId === rule.id && finding.fix && finding.status === 'OPEN'),
  };
}
