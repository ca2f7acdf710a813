import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../shared/audit/filter-pattern.ts';
import { auditFilterPattern, auditFilterTerm, isRelevantChange, relevantKinds } from '../../shared/audit/relevance.ts';
import { collectedKinds } from '../../shared/kube/kinds.ts';
import { auditEvent, rawEvent } from './events.ts';

describe('isRelevantChange', () => {
  it('takes a completed, allowed write of a kind the rules read', () => {
    expect(isRelevantChange(auditEvent('apply-privileged-pod'))).toBe(true);
    expect(isRelevantChange(auditEvent('cluster-admin-binding'))).toBe(true);
    expect(isRelevantChange(auditEvent('delete-webhook'))).toBe(true);
  });

  it('leaves out reads, status updates, refused or failed writes, and stages before completion', () => {
    expect(isRelevantChange(auditEvent('anonymous-list-pods'))).toBe(false);
    expect(isRelevantChange(auditEvent('pod-status-update'))).toBe(false);
    expect(isRelevantChange(auditEvent('forbidden-delete-netpol'))).toBe(false);
    expect(isRelevantChange(auditEvent('apply-privileged-pod', { responseStatus: { code: 409 } }))).toBe(false);
    expect(isRelevantChange(auditEvent('apply-privileged-pod', { stage: 'ResponseStarted' }))).toBe(false);
    expect(isRelevantChange(auditEvent('apply-privileged-pod', { objectRef: { resource: 'leases', namespace: 'kube-system', name: 'x', apiGroup: 'coordination.k8s.io' } }))).toBe(false);
  });

  it('derives the kinds from what the snapshot collects and the rules read', () => {
    expect(relevantKinds.map((spec) => spec.kind)).toEqual(collectedKinds.map((spec) => spec.kind));
  });
});

describe('auditFilterPattern', () => {
  const pattern = auditFilterPattern();

  it('fits CloudWatch Logs limits: at most 1024 characters and 2 regular expressions, balanced', () => {
    expect(pattern.length).toBeLessThanOrEqual(1024);
    expect(pattern.match(/%/g)?.length ?? 0).toBeLessThanOrEqual(4);
    expect(pattern.startsWith('{') && pattern.endsWith('}')).toBe(true);
    let depth = 0;
    for (const char of pattern) {
      depth += char === '(' ? 1 : char === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('writes JSON filter syntax: field comparisons joined by && and ||', () => {
    expect(pattern).toContain('$.stage!="RequestReceived"');
    expect(pattern).toContain('$.verb="create"||$.verb="update"||$.verb="patch"||$.verb="delete"');
    expect(pattern).toMatch(/\$\.objectRef\.resource=%[a-z|]*\|rolebindings\|/);
    expect(pattern, 'clusterrolebindings is matched by rolebindings already').not.toContain('clusterrolebindings');
  });

  it('delivers relevant changes and what the detections read, and drops the everyday reads', () => {
    for (const name of ['apply-privileged-pod', 'exec-started', 'cluster-admin-binding', 'anonymous-list-pods', 'sa-kubectl-get-secrets', 'delete-webhook']) {
      expect(matchesFilter(auditFilterTerm, rawEvent(name)), name).toBe(true);
    }
    const controllerWatch = rawEvent('anonymous-list-pods', {
      verb: 'watch',
      user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] },
      userAgent: 'kube-scheduler/v1.31.2',
    });
    expect(matchesFilter(auditFilterTerm, controllerWatch)).toBe(false);
    expect(matchesFilter(auditFilterTerm, rawEvent('apply-privileged-pod', { stage: 'RequestReceived' }))).toBe(false);
  });
});
