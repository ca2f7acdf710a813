import { describe, expect, it } from 'vitest';
import anonymousAllowed from '../../../shared/audit/detections/anonymous-allowed.ts';
import { detectionRunner } from '../events.ts';

const run = detectionRunner(anonymousAllowed);

describe('audit-anonymous-allowed', () => {
  it('reports an allowed anonymous list, about the anonymous user, keyed by what it reached', async () => {
    const { findings } = await run(['anonymous-list-pods']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'high',
      resource: { kind: 'User', name: 'system:anonymous' },
      message: 'an anonymous request was allowed: list pods in shop from 198.51.100.77',
    });
  });

  it('reports a non-resource path, and the system:unauthenticated group alone', async () => {
    const { findings } = await run(
      ['anonymous-healthz', { requestURI: '/metrics' }],
      ['anonymous-list-pods', { user: { username: 'system:anonymous-proxy', groups: ['system:unauthenticated'] } }],
    );
    expect(findings.map((f) => f.message)).toEqual([
      'an anonymous request was allowed: get /metrics from 198.51.100.77',
      'an anonymous request was allowed: list pods in shop from 198.51.100.77',
    ]);
  });

  it('leaves health and discovery endpoints, refused requests and authenticated users alone', async () => {
    const { findings } = await run(
      ['anonymous-healthz'],
      ['anonymous-healthz', { requestURI: '/livez?verbose' }],
      ['anonymous-healthz', { requestURI: '/version' }],
      ['anonymous-healthz', { requestURI: '/.well-known/openid-configuration' }],
      ['anonymous-list-pods', { annotations: { 'authorization.k8s.io/decision': 'forbid' }, responseStatus: { code: 403 } }],
      ['apply-privileged-pod'],
    );
    expect(findings).toEqual([]);
  });
});
