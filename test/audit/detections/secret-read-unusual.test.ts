import { describe, expect, it } from 'vitest';
import { InMemoryPrincipalBaseline } from '../../../shared/audit/baseline.ts';
import { detect } from '../../../shared/audit/detect.ts';
import secretReadUnusual from '../../../shared/audit/detections/secret-read-unusual.ts';
import { auditEvent, clusterId } from '../events.ts';

const at = (time: string) => ({ stageTimestamp: time, requestReceivedTimestamp: time });

describe('audit-secret-read-unusual', () => {
  it('learns during the learning period, then reports a principal reading secrets where it never did', async () => {
    const baseline = new InMemoryPrincipalBaseline();
    const context = { clusterId, baseline, detections: [secretReadUnusual], settings: { learningPeriodDays: 14 } };
    // Day 0: the CI account reads its own namespace's secrets: learnt.
    const learning = await detect([auditEvent('sa-in-cluster-secret-get', at('2026-12-02T09:00:00.104411Z'))], context);
    expect(learning.findings).toEqual([]);
    // Day 18: the same access is usual; listing payments' secrets is not.
    const later = await detect(
      [auditEvent('sa-in-cluster-secret-get', at('2026-12-20T03:00:00.000000Z')), auditEvent('sa-kubectl-get-secrets')],
      context,
    );
    expect(later.findings).toHaveLength(1);
    expect(later.findings[0]).toMatchObject({
      ruleId: 'audit-secret-read-unusual',
      resource: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'build', name: 'ci' },
      message: 'system:serviceaccount:build:ci listed secrets in namespace payments, which it did not during the learning period',
      details: { namespace: 'payments', firstSeenAt: '2026-12-20T03:12:44.901Z' },
    });
  });

  it('keeps reporting the same access after learning under one fingerprint, and a replay gives the same finding', async () => {
    const baseline = new InMemoryPrincipalBaseline();
    const context = { clusterId, baseline, detections: [secretReadUnusual] };
    await detect([auditEvent('sa-in-cluster-secret-get')], context);
    const first = await detect([auditEvent('sa-kubectl-get-secrets')], context);
    const again = await detect([auditEvent('sa-kubectl-get-secrets', { auditID: 'later', ...at('2026-12-21T00:00:00Z') })], context);
    const replay = await detect([auditEvent('sa-kubectl-get-secrets')], context);
    expect(first.findings).toHaveLength(1);
    expect(again.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));
    expect(replay.findings).toEqual(first.findings);
  });

  it('never judges control-plane identities, refused reads or writes to secrets', async () => {
    const baseline = new InMemoryPrincipalBaseline();
    const context = { clusterId, baseline, detections: [secretReadUnusual] };
    await detect([auditEvent('sa-in-cluster-secret-get')], context);
    const { findings } = await detect(
      [
        auditEvent('sa-kubectl-get-secrets', { user: { username: 'system:node:ip-10-0-42-17.eu-west-1.compute.internal' } }),
        auditEvent('sa-kubectl-get-secrets', { user: { username: 'eks:addon-manager' } }),
        auditEvent('sa-kubectl-get-secrets', { annotations: { 'authorization.k8s.io/decision': 'forbid' }, responseStatus: { code: 403 } }),
        auditEvent('sa-kubectl-get-secrets', { verb: 'delete' }),
      ],
      context,
    );
    expect(findings).toEqual([]);
  });

  it('reports nothing without a baseline beyond the batch itself, which is its own learning period', async () => {
    const { findings } = await detect([auditEvent('sa-kubectl-get-secrets')], { clusterId, detections: [secretReadUnusual] });
    expect(findings).toEqual([]);
  });
});
