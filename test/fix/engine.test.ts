import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defineRule, fix as fixOf, setOps, type AnyRule } from '../../shared/engine/index.ts';
import { runRules } from '../../shared/engine/run.ts';
import type { DecisionValues } from '../../shared/fix/decisions.ts';
import { planFixes } from '../../shared/fix/engine.ts';
import { kustomizePatches } from '../../shared/fix/kustomize-patch.ts';
import { parseManifests, type ManifestObject } from '../../shared/kube/manifests.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { rules as catalogue } from '../../shared/rules/index.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const file = 'k8s/web.yaml';

function scanWith(rules: readonly AnyRule[], suppress?: (finding: Finding) => boolean) {
  return (objects: readonly ManifestObject[]): Finding[] => {
    const snapshot = snapshotOf(objects.map((entry) => entry.object));
    snapshot.locations = new WeakMap(objects.map((entry) => [entry.object, entry.location]));
    const findings = runRules(snapshot, rules).findings;
    return suppress ? findings.map((finding) => (suppress(finding) ? { ...finding, status: 'SUPPRESSED' as const } : finding)) : findings;
  };
}

function plan(
  text: string,
  options: { rules?: readonly AnyRule[]; decisions?: DecisionValues; select?: (finding: Finding) => boolean; stdin?: boolean; scanned?: string; suppress?: (finding: Finding) => boolean } = {},
) {
  const name = options.stdin ? '-' : file;
  const read = parseManifests(options.scanned ?? text, name);
  return planFixes({
    objects: read.objects,
    files: options.stdin ? new Map() : new Map([[file, text]]),
    notInPlace: options.stdin ? new Map([['-', 'standard input is not a file']]) : new Map(),
    scan: scanWith(options.rules ?? catalogue, options.suppress),
    select: options.select ?? (() => true),
    decisions: options.decisions ?? {},
  });
}

const yaml = (...objects: KubeObject[]): string => objects.map((object) => stringify(object)).join('---\n');
const web = (securityContext: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject =>
  deployment({ name: 'web', spec: hardenedPodSpec({ containers: [container({ securityContext, ...extra })] }) });
const byRule = (id: string) => (finding: Finding) => finding.ruleId === id;

describe('planFixes', () => {
  it('fixes every selected finding of a file in one pass, each patch against the object as fixed so far', () => {
    const text = yaml(web({ privileged: true }));
    const outcome = plan(text);
    expect(outcome.errors).toEqual([]);
    const [change] = outcome.changes;
    expect(change!.fixed.map((entry) => entry.finding.ruleId).sort()).toEqual(
      ['allow-privilege-escalation', 'capabilities-restricted', 'privileged-container', 'writable-root-filesystem'],
    );
    const after = scanWith(catalogue)(parseManifests(change!.after, file).objects).filter((finding) => finding.status === 'OPEN');
    expect(after.map((finding) => finding.ruleId)).not.toContain('privileged-container');
  });

  it('fixes only the selected findings', () => {
    const outcome = plan(yaml(web({ privileged: true })), { select: byRule('privileged-container') });
    expect(outcome.changes[0]!.fixed.map((entry) => entry.finding.ruleId)).toEqual(['privileged-container']);
    expect(outcome.changes[0]!.after).toContain('privileged: false');
    expect(outcome.changes[0]!.after).not.toContain('readOnlyRootFilesystem');
  });

  it('never fixes a suppressed finding', () => {
    const outcome = plan(yaml(web({ privileged: true })), { select: byRule('privileged-container'), suppress: byRule('privileged-container') });
    expect(outcome.changes).toEqual([]);
  });

  it('skips a fix that needs a decision, saying which option answers it, and applies it once answered', () => {
    const text = yaml(web({ runAsUser: 0 }));
    const skipped = plan(text, { select: byRule('run-as-root-user') });
    expect(skipped.changes).toEqual([]);
    expect(skipped.skipped.map((entry) => entry.reason)).toEqual([expect.stringMatching(/^needs a decision: .*--run-as-user <uid>/)]);
    const decided = plan(text, { select: byRule('run-as-root-user'), decisions: { runAsUser: 10001 } });
    expect(decided.errors).toEqual([]);
    expect(decided.changes[0]!.after).toContain('runAsUser: 10001');
  });

  it('does not set runAsNonRoot beside runAsUser: 0 (the pod would not start) until the UID is decided', () => {
    const text = yaml(deployment({ name: 'web', spec: hardenedPodSpec({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [container({ securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } })] }) }));
    const undecided = plan(text, { select: byRule('run-as-non-root') });
    expect(undecided.changes).toEqual([]);
    expect(undecided.skipped.map((entry) => entry.reason)).toEqual([expect.stringMatching(/replaces runAsUser: 0 .*--run-as-user <uid>/)]);
    const decided = plan(text, { select: byRule('run-as-non-root'), decisions: { runAsUser: 10001 } });
    expect(decided.errors).toEqual([]);
    expect(decided.changes[0]!.after).toContain('runAsUser: 10001');
    expect(decided.changes[0]!.after).toContain('runAsNonRoot: true');
    expect(decided.changes[0]!.after).not.toContain('runAsUser: 0');
  });

  it('asks for the seccomp profile and uses the one given', () => {
    const text = yaml(deployment({ name: 'web', spec: hardenedPodSpec({ securityContext: { runAsNonRoot: true } }) }));
    expect(plan(text, { select: byRule('seccomp-profile-missing') }).skipped[0]!.reason).toMatch(/--seccomp-profile RuntimeDefault or Localhost:<profile>/);
    const local = plan(text, { select: byRule('seccomp-profile-missing'), decisions: { seccompProfile: 'Localhost:profiles/web.json' } });
    expect(local.changes[0]!.after).toContain('seccompProfile:\n          type: Localhost\n          localhostProfile: profiles/web.json');
    const weaker = plan(text, { select: byRule('seccomp-profile-missing'), decisions: { seccompProfile: 'Unconfined' } });
    expect(weaker.errors.map((error) => error.message)).toEqual([expect.stringMatching(/must be RuntimeDefault or Localhost/)]);
    expect(weaker.changes).toEqual([]);
  });

  it('pins an image by the digest given for it', () => {
    const text = yaml(web({ allowPrivilegeEscalation: false }, { image: 'nginx:1.27' }));
    const digest = 'sha256:' + 'b'.repeat(64);
    expect(plan(text, { select: byRule('image-not-pinned-by-digest') }).skipped[0]!.reason).toMatch(/the digest of nginx:1\.27: give --image-digest/);
    const pinned = plan(text, { select: byRule('image-not-pinned-by-digest'), decisions: { imageDigests: { 'nginx:1.27': digest } } });
    expect(pinned.errors).toEqual([]);
    expect(pinned.changes[0]!.after).toContain(`image: nginx:1.27@${digest}`);
  });

  it('prints objects from standard input as kustomize patches instead of editing anything', () => {
    const outcome = plan(yaml(web({ privileged: true })), { stdin: true, select: byRule('privileged-container') });
    expect(outcome.changes).toEqual([]);
    expect(outcome.patches.map((patch) => [patch.file, patch.why, patch.patch])).toEqual([
      ['-', 'standard input is not a file', [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }]],
    ]);
    expect(kustomizePatches(outcome.patches)).toBe(
      [
        'patches:',
        '  - target:',
        '      group: apps',
        '      version: v1',
        '      kind: Deployment',
        '      namespace: shop',
        '      name: web',
        '    patch: |',
        '      - op: replace',
        '        path: /spec/template/spec/containers/0/securityContext/privileged',
        '        value: false',
        '',
      ].join('\n'),
    );
  });

  it('leaves a file alone when its fixes would bring a new finding', () => {
    // A fix that "resolves" its finding by opening another: the rescan catches it.
    const opensPort = defineRule({
      id: 'test-opens-port',
      meta: { title: 't', description: 't', severity: 'high', domain: 'workload', targets: ['Deployment'], frameworks: {}, remediation: 't', messages: { m: 'no label' } },
      check(object, ctx) {
        const labels = (object.metadata as { labels?: Record<string, string> }).labels ?? {};
        if (labels.fixed !== 'yes') ctx.report({ messageId: 'm', path: 'metadata.labels', fix: fixOf('label it', setOps(object, ['metadata', 'labels', 'fixed'], 'yes')) });
      },
    });
    const flagsLabel = defineRule({
      id: 'test-flags-label',
      meta: { title: 't', description: 't', severity: 'low', domain: 'workload', targets: ['Deployment'], frameworks: {}, remediation: 't', messages: { m: 'labelled' } },
      check(object, ctx) {
        if ((object.metadata as { labels?: Record<string, string> }).labels?.fixed === 'yes') ctx.report({ messageId: 'm', path: 'metadata.labels' });
      },
    });
    const outcome = plan(yaml(web({ allowPrivilegeEscalation: false })), { rules: [opensPort, flagsLabel] });
    expect(outcome.changes).toEqual([]);
    expect(outcome.errors.map((error) => [error.file, error.message])).toEqual([
      [file, expect.stringMatching(/^the fixes would add a finding \(test-flags-label on Deployment shop\/web: labelled\); the file was left as it is$/)],
    ]);
  });

  it('names the file and finding when a patch no longer applies', () => {
    const broken = defineRule({
      id: 'test-broken-fix',
      meta: { title: 't', description: 't', severity: 'high', domain: 'workload', targets: ['Deployment'], frameworks: {}, remediation: 't', messages: { m: 'bad' } },
      check(_object, ctx) {
        ctx.report({ messageId: 'm', path: 'spec.gone', fix: fixOf('replace what is not there', [{ op: 'replace', path: '/spec/gone/deeper', value: 1 }]) });
      },
    });
    const outcome = plan(yaml(web({})), { rules: [broken] });
    expect(outcome.changes).toEqual([]);
    expect(outcome.errors.map((error) => [error.file, error.line, error.message])).toEqual([
      [file, 1, 'the patch no longer applies (path /spec/gone/deeper: gone is missing)'],
    ]);
    expect(outcome.errors[0]!.finding!.ruleId).toBe('test-broken-fix');
  });

  it('refuses a file that no longer holds the scanned object where it was', () => {
    const scanned = yaml(web({ privileged: true }));
    const outcome = plan(`# a line added since the scan\n${scanned}`, { scanned, select: byRule('privileged-container') });
    expect(outcome.changes).toEqual([]);
    expect(outcome.errors.map((error) => error.message)).toEqual([expect.stringMatching(/^changed since it was scanned: line 1 no longer starts Deployment web; scan again$/)]);
  });

  it('edits JSON manifests as JSON', () => {
    const text = JSON.stringify(web({ privileged: true }), null, 4) + '\n';
    const read = parseManifests(text, 'web.json');
    const outcome = planFixes({
      objects: read.objects,
      files: new Map([['web.json', text]]),
      notInPlace: new Map(),
      scan: scanWith(catalogue),
      select: byRule('privileged-container'),
      decisions: {},
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.changes[0]!.after).toBe(text.replace('"privileged": true', '"privileged": false'));
  });
});
