import { describe, expect, it } from 'vitest';
import podExec from '../../../shared/audit/detections/pod-exec.ts';
import { detectionRunner } from '../events.ts';

const run = detectionRunner(podExec);

describe('audit-pod-exec', () => {
  it('reports an exec into a pod, naming who, with the cause', async () => {
    const { findings, errors } = await run(['exec-started']);
    expect(errors).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'audit-pod-exec',
      severity: 'medium',
      status: 'OPEN',
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'debug' },
      message: 'alice@example.com ran exec into pod shop/debug',
      firstSeenAt: '2026-12-02T10:02:11.201455Z',
      details: {
        subresource: 'exec',
        cause: {
          username: 'alice@example.com',
          arn: 'arn:aws:sts::111122223333:assumed-role/DevAdmin/alice@example.com',
          userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46',
          sourceIPs: ['203.0.113.10'],
          verb: 'create',
          auditID: '0b7e2f3c-8d1a-4b5e-9f60-1a2b3c4d5e02',
        },
      },
    });
  });

  it('merges the session\'s ResponseStarted and ResponseComplete into one finding, first and last seen', async () => {
    const { findings } = await run(['exec-complete'], ['exec-started']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ firstSeenAt: '2026-12-02T10:02:11.201455Z', lastSeenAt: '2026-12-02T10:09:40.551210Z' });
  });

  it('is high in kube-system; attach and port-forward count; a refused exec does not', async () => {
    const ref = (namespace: string, subresource: string) => ({ objectRef: { resource: 'pods', namespace, name: 'coredns-1', apiVersion: 'v1', subresource } });
    const { findings } = await run(
      ['exec-started', ref('kube-system', 'exec')],
      ['exec-started', ref('shop', 'attach')],
      ['exec-started', ref('shop', 'portforward')],
      ['exec-started', { ...ref('shop', 'exec'), annotations: { 'authorization.k8s.io/decision': 'forbid' } }],
    );
    expect(findings.map((f) => [f.severity, f.resource.namespace, f.details?.['subresource']])).toEqual([
      ['high', 'kube-system', 'exec'],
      ['medium', 'shop', 'attach'],
      ['medium', 'shop', 'portforward'],
    ]);
  });

  it('leaves plain pod writes and logs alone', async () => {
    const { findings } = await run(['apply-privileged-pod'], ['exec-started', { objectRef: { resource: 'pods', namespace: 'shop', name: 'debug', subresource: 'log' } }]);
    expect(findings).toEqual([]);
  });
});
