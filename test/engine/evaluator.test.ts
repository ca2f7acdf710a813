// evaluatorOf: the rules, their settings (checked up front), an exceptions file matched with the scan's time, and
// the EKS platform defaults, in one evaluator.
import { describe, expect, it } from 'vitest';
import { evaluatorOf } from '../../shared/engine/evaluator.ts';
import { ExceptionsFileError } from '../../shared/engine/exceptions-file.ts';
import { RuleSettingsError } from '../../shared/engine/run.ts';
import type { Finding } from '../../shared/model/finding.ts';
import { rules } from '../../shared/rules/index.ts';
import { container, daemonSet, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const privileged = hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] });
const web = deployment({ name: 'web', namespace: 'shop', spec: privileged });
const awsNode = daemonSet({ name: 'aws-node', namespace: 'kube-system', metadata: { labels: { 'k8s-app': 'aws-node' } }, spec: privileged });
const snapshot = snapshotOf([web, awsNode]);

const exceptionsText = `exceptions:
  - id: web-until-june
    rule: privileged-container
    name: "*"
    reason: Legacy app, being rewritten by team shop
    owner: team-shop
    expires: 2026-06-30
`;

const privilegedOn = (findings: readonly Finding[], name: string) =>
  findings.find((finding) => finding.ruleId === 'privileged-container' && finding.resource.name === name);

describe('evaluatorOf', () => {
  it('matches the exceptions file with each scan time: an entry that expired stops applying', () => {
    const evaluate = evaluatorOf({ rules, exceptionsFile: { text: exceptionsText, file: 'exceptions.yaml' } });
    const before = evaluate(snapshot, new Date('2026-06-30T12:00:00Z'));
    expect(privilegedOn(before.findings, 'web')).toMatchObject({ status: 'SUPPRESSED', suppression: { exceptionId: 'web-until-june' } });
    const after = evaluate(snapshot, new Date('2026-07-01T00:00:00Z'));
    expect(privilegedOn(after.findings, 'web')?.status).toBe('OPEN');
    expect(after.fileExceptions?.report().expired.map((use) => use.entry.id)).toEqual(['web-until-june']);
  });

  it('consults the file before the platform defaults, which can be turned off', () => {
    const withFile = evaluatorOf({ rules, exceptionsFile: { text: exceptionsText, file: 'exceptions.yaml' } });
    const now = new Date('2026-01-01T00:00:00Z');
    expect(privilegedOn(withFile(snapshot, now).findings, 'aws-node')?.suppression?.exceptionId).toBe('web-until-june');
    expect(privilegedOn(evaluatorOf({ rules })(snapshot, now).findings, 'aws-node')?.suppression?.exceptionId).toBe('platform:aws-node');
    expect(privilegedOn(evaluatorOf({ rules, platformDefaults: false })(snapshot, now).findings, 'aws-node')?.status).toBe('OPEN');
  });

  it('applies rule settings and rejects bad ones before any snapshot is evaluated', () => {
    const disabled = evaluatorOf({ rules, ruleSettings: { 'privileged-container': { disabled: true } } });
    expect(privilegedOn(disabled(snapshot, new Date()).findings, 'web')).toBeUndefined();
    expect(() => evaluatorOf({ rules, ruleSettings: { 'no-such-rule': { disabled: true } } })).toThrow(RuleSettingsError);
  });

  it('names the file and line of a malformed exceptions file when it evaluates', () => {
    const evaluate = evaluatorOf({ rules, exceptionsFile: { text: 'exceptions:\n  - rule: x\n', file: 'bad.yaml' } });
    expect(() => evaluate(snapshot, new Date())).toThrow(ExceptionsFileError);
    expect(() => evaluate(snapshot, new Date())).toThrow(/bad\.yaml:2/);
  });
});
