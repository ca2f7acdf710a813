import { describe, expect, it } from 'vitest';
import { causeOf, causesByObject } from '../../shared/audit/cause.ts';
import { causeSchema } from '../../shared/model/audit.ts';
import { auditEvent, fixtureNames } from './events.ts';

describe('causeOf', () => {
  it('says who, from where, with what, when, and never carries a request body', () => {
    const cause = causeOf(auditEvent('apply-privileged-pod'));
    expect(cause).toEqual({
      username: 'alice@example.com',
      groups: ['dev-admins', 'system:authenticated'],
      arn: 'arn:aws:sts::111122223333:assumed-role/DevAdmin/alice@example.com',
      userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46',
      sourceIPs: ['203.0.113.10'],
      verb: 'create',
      time: '2026-12-02T10:02:03.142107Z',
      auditID: '0b7e2f3c-8d1a-4b5e-9f60-1a2b3c4d5e01',
      objectRef: { resource: 'pods', namespace: 'shop', name: 'debug', apiVersion: 'v1' },
    });
    expect(causeSchema.parse(cause)).toEqual(cause);
    expect(JSON.stringify(cause)).not.toContain('privileged');
  });

  it('names the impersonated user of kubectl --as', () => {
    const cause = causeOf(auditEvent('apply-privileged-pod', { impersonatedUser: { username: 'deployer', groups: ['ops'] } }));
    expect(cause.impersonatedUser).toBe('deployer');
  });
});

describe('causesByObject', () => {
  it('keys the latest relevant write of each object by kind/namespace/name', () => {
    const causes = causesByObject(fixtureNames.map((name) => auditEvent(name)));
    expect([...causes.keys()].sort()).toEqual([
      'ClusterRoleBinding/ci-admin',
      'Pod/shop/debug',
      'ValidatingWebhookConfiguration/kyverno-resource-validating-webhook-cfg',
    ]);
    // The exec and the kubelet's status patch on the pod are not what introduced it.
    expect(causes.get('Pod/shop/debug')?.auditID).toBe('0b7e2f3c-8d1a-4b5e-9f60-1a2b3c4d5e01');
  });

  it('takes the later of two writes whatever their order', () => {
    const create = auditEvent('apply-privileged-pod');
    const update = auditEvent('apply-privileged-pod', { auditID: 'update-1', verb: 'update', stageTimestamp: '2026-12-02T11:00:00.000000Z' });
    expect(causesByObject([update, create]).get('Pod/shop/debug')?.auditID).toBe('update-1');
    expect(causesByObject([create, update]).get('Pod/shop/debug')?.auditID).toBe('update-1');
  });
});
