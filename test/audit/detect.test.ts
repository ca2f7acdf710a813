import { describe, expect, it } from 'vitest';
import type { PrincipalBaseline } from '../../shared/audit/baseline.ts';
import { defineDetection } from '../../shared/audit/detection.ts';
import { detect } from '../../shared/audit/detect.ts';
import { detections } from '../../shared/audit/detections/index.ts';
import { eq } from '../../shared/audit/filter-pattern.ts';
import { frameworks } from '../../shared/engine/frameworks.ts';
import { findingSchema } from '../../shared/model/finding.ts';
import { rules } from '../../shared/rules/index.ts';
import { auditEvent, clusterId, fixtureNames } from './events.ts';

const all = () => fixtureNames.map((name) => auditEvent(name));

describe('detect', () => {
  it('finds what the session fixture holds, each a valid finding with its cause', async () => {
    const { findings, errors } = await detect(all(), { clusterId, settings: { internalCidrs: ['10.0.0.0/16'] } });
    expect(errors).toEqual([]);
    expect(findings.map((f) => f.ruleId).sort()).toEqual([
      'audit-anonymous-allowed',
      'audit-binding-cluster-admin',
      'audit-defense-deleted',
      'audit-pod-exec',
      // The fixtures span 18 days: the list of payments' secrets on day 18 is past the 14-day learning period.
      'audit-secret-read-unusual',
      'audit-service-account-outside',
      'audit-service-account-outside',
    ]);
    for (const finding of findings) {
      expect(findingSchema.parse(finding)).toEqual(finding);
      expect(finding.details?.['cause']).toMatchObject({ auditID: expect.any(String), username: expect.any(String) });
    }
    expect(findings[0]!.severity).toBe('critical');
  });

  it('gives identical findings for any order, split or replay of the same events', async () => {
    const events = all();
    const once = await detect(events, { clusterId });
    const reversed = await detect([...events].reverse(), { clusterId });
    const doubled = await detect([...events, ...events], { clusterId });
    expect(reversed.findings).toEqual(once.findings);
    expect(doubled.findings).toEqual(once.findings);
  });

  it('uses the rules\' fingerprint scheme: cluster + detection + kind/namespace/name (+ key)', async () => {
    const a = await detect([auditEvent('delete-webhook')], { clusterId });
    const b = await detect([auditEvent('delete-webhook')], { clusterId: 'arn:aws:eks:eu-west-1:111122223333:cluster/other' });
    expect(a.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(a.findings[0]!.fingerprint).not.toBe(b.findings[0]!.fingerprint);
  });

  it('turns a detection that throws into an error for that event, and the others still run', async () => {
    const broken = defineDetection({
      id: 'audit-broken',
      meta: { ...detections[0]!.meta, messages: { x: 'x' } },
      needs: eq('$.verb', 'get'),
      detect() {
        throw new Error('boom');
      },
    });
    const { findings, errors } = await detect([auditEvent('delete-webhook')], { clusterId, detections: [broken, ...detections] });
    expect(errors).toEqual([{ detectionId: 'audit-broken', auditID: '0b7e2f3c-8d1a-4b5e-9f60-1a2b3c4d5e08', message: 'boom' }]);
    expect(findings.map((f) => f.ruleId)).toEqual(['audit-defense-deleted']);
  });

  it('skips the baseline detections, saying so, when the baseline store fails', async () => {
    const failing: PrincipalBaseline = { observe: () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    const { findings, errors } = await detect(all(), { clusterId, baseline: failing });
    expect(errors).toEqual([{ message: expect.stringMatching(/ProvisionedThroughputExceededException.*audit-secret-read-unusual skipped/) }]);
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe('the detection catalogue', () => {
  it('is sorted, ids unique, prefixed audit- and distinct from rule ids', () => {
    const ids = detections.map((d) => d.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^audit-[a-z-]+$/);
    const ruleIds = new Set(rules.map((r) => r.id));
    expect(ids.filter((id) => ruleIds.has(id))).toEqual([]);
  });

  it('maps every detection to known framework controls, with remediation and messages', () => {
    for (const detection of detections) {
      expect(detection.meta.remediation.length, detection.id).toBeGreaterThan(20);
      expect(Object.keys(detection.meta.messages).length, detection.id).toBeGreaterThan(0);
      expect(detection.meta.frameworks['owasp-k8s-2022']?.length, detection.id).toBeGreaterThan(0);
      for (const [frameworkId, controls] of Object.entries(detection.meta.frameworks)) {
        const framework = frameworks.find((f) => f.id === frameworkId);
        expect(framework, `${detection.id}: ${frameworkId}`).toBeDefined();
        for (const control of controls) expect(framework!.controls.map((c) => c.id), `${detection.id}: ${control}`).toContain(control);
      }
    }
  });
});
