import { describe, expect, it } from 'vitest';
import { runRules } from '../../../shared/engine/run.ts';
import rule, { normalizedImage, registryMatcher } from '../../../shared/rules/supply-chain/image-registry-not-allowed.ts';
import { parseImageReference } from '../../../shared/facts/image-reference.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod, snapshotOf } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const allowed = { options: { allowedRegistries: ['*.dkr.ecr.*.amazonaws.com', 'registry.k8s.io', 'public.ecr.aws/eks/*', 'nginx', 'localhost:5000'] } };
const withImages = (...images: string[]) =>
  pod({ spec: hardenedPodSpec({ containers: images.map((image, i) => container({ name: `c${i}`, image })) }) });

ruleTester.run(rule, {
  valid: [
    {
      name: 'ECR in any account and region, registry.k8s.io, public.ecr.aws/eks/..., Docker Hub nginx, a local registry',
      object: withImages(
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.0',
        '602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/kube-proxy:v1.30.0',
        'registry.k8s.io/pause:3.9',
        'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0',
        'nginx:1.27',
        'docker.io/library/nginx@sha256:' + 'a'.repeat(64),
        'index.docker.io/library/nginx:1.27',
        'localhost:5000/app:2',
      ),
      settings: allowed,
    },
    { name: 'not configured: the rule does not run', object: withImages('evil.example.com/miner:1') },
    {
      name: 'a whole registry host allows every repository on it, Docker Hub included',
      object: withImages('docker.io/bitnami/redis:7', 'redis:7', 'quay.io/prometheus/node-exporter:v1.8.0'),
      settings: { options: { allowedRegistries: ['docker.io', 'quay.io'] } },
    },
    { name: 'missing or empty images are not judged', object: pod({ spec: hardenedPodSpec({ containers: [{ name: 'a' }, container({ name: 'b', image: ' ' })] }) }), settings: allowed },
  ],
  invalid: [
    {
      name: 'Docker Hub images other than nginx, a look-alike host and a public.ecr.aws path outside eks/',
      object: deployment({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', image: 'busybox:1.36' })],
          containers: [
            container({ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27' }),
            container({ name: 'sidecar', image: 'registry.k8s.io.evil.com/pause:3.9' }),
            container({ name: 'agent', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.9' }),
            container({ name: 'ok', image: 'registry.k8s.io/coredns/coredns:v1.11.1' }),
          ],
        }),
      }),
      settings: allowed,
      findings: [
        { messageId: 'notAllowed', container: 'init', data: { container: 'init', image: 'busybox:1.36', registry: 'docker.io' }, path: 'spec.template.spec.initContainers[0].image', fix: null },
        { messageId: 'notAllowed', container: 'app', data: { container: 'app', image: 'nginxinc/nginx-unprivileged:1.27', registry: 'docker.io' }, path: 'spec.template.spec.containers[0].image' },
        { messageId: 'notAllowed', container: 'sidecar', data: { container: 'sidecar', image: 'registry.k8s.io.evil.com/pause:3.9', registry: 'registry.k8s.io.evil.com' }, path: 'spec.template.spec.containers[1].image' },
        { messageId: 'notAllowed', container: 'agent', data: { container: 'agent', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.9', registry: 'public.ecr.aws' }, path: 'spec.template.spec.containers[2].image' },
      ],
    },
    {
      name: 'an ECR image in a China region is not *.amazonaws.com; severity raised by configuration',
      object: cronJob({ spec: hardenedPodSpec({ containers: [container({ image: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1' })] }) }),
      settings: { ...allowed, severity: 'high' },
      findings: [{ messageId: 'notAllowed', container: 'app', severity: 'high', path: 'spec.jobTemplate.spec.template.spec.containers[0].image' }],
    },
  ],
});

describe('image-registry-not-allowed settings', () => {
  const snapshot = snapshotOf([withImages('evil.example.com/miner:1')]);

  it('is skipped, saying which setting enables it, when allowedRegistries is not given', () => {
    const result = runRules(snapshot, [rule]);
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([{ ruleId: rule.id, reason: expect.stringContaining('rules.image-registry-not-allowed.options.allowedRegistries') }]);
  });

  it('rejects an empty list and entries with a digest, naming the rule and the field', () => {
    expect(() => runRules(snapshot, [rule], { ruleSettings: { [rule.id]: { options: { allowedRegistries: [] } } } })).toThrow(
      /rule image-registry-not-allowed: options\.allowedRegistries: list at least one registry/,
    );
    expect(() => runRules(snapshot, [rule], { ruleSettings: { [rule.id]: { options: { allowedRegistries: ['nginx@sha256:x'] } } } })).toThrow(
      /options\.allowedRegistries\.0: a registry host or repository prefix/,
    );
  });

  it('reads Docker Hub names the way the container runtime does', () => {
    const norm = (image: string) => normalizedImage(parseImageReference(image)!);
    expect(norm('nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
    expect(norm('bitnami/redis:7')).toEqual({ registry: 'docker.io', repository: 'bitnami/redis' });
    expect(norm('Index.Docker.io/library/nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
    expect(registryMatcher('docker.io/nginx').test('docker.io/library/nginx')).toBe(true);
    expect(registryMatcher('nginx').test('docker.io/library/nginx-evil')).toBe(false);
    expect(registryMatcher('*.dkr.ecr.*.amazonaws.com').test('1.dkr.ecr.eu-west-1.amazonaws.com/a/b')).toBe(true);
    expect(registryMatcher('*.dkr.ecr.*.amazonaws.com').test('evil.com/x.dkr.ecr.y.amazonaws.com')).toBe(false);
  });
});
