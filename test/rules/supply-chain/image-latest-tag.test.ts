import rule from '../../../shared/rules/supply-chain/image-latest-tag.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod, replicationController } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const digest = 'sha256:' + 'b'.repeat(64);

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'a version tag', object: pod({ spec: hardenedPodSpec({ containers: [container({ image: 'nginx:1.27.0' })] }) }) },
    { name: 'a registry with a port and a tag', object: pod({ spec: hardenedPodSpec({ containers: [container({ image: 'localhost:5000/app:2.0' })] }) }) },
    { name: ':latest pinned by digest runs exactly that image', object: pod({ spec: hardenedPodSpec({ containers: [container({ image: `app:latest@${digest}` })] }) }) },
    { name: 'a digest without a tag', object: pod({ spec: hardenedPodSpec({ containers: [container({ image: `localhost:5000/app@${digest}` })] }) }) },
    { name: 'missing, empty or non-string images are not judged', object: pod({ spec: hardenedPodSpec({ containers: [{ name: 'a' }, container({ name: 'b', image: ' ' }), container({ name: 'c', image: 7 })] }) }) },
  ],
  invalid: [
    {
      name: 'no tag on a registry with a port',
      object: deployment({ spec: hardenedPodSpec({ containers: [container({ image: 'localhost:5000/team/app' })] }) }),
      findings: [
        {
          messageId: 'untagged',
          severity: 'medium',
          container: 'app',
          data: { container: 'app', image: 'localhost:5000/team/app' },
          path: 'spec.template.spec.containers[0].image',
          fix: null,
        },
      ],
    },
    {
      name: 'a bare Docker Hub name and an explicit :latest in a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ initContainers: [container({ name: 'init', image: 'busybox' })], containers: [container({ image: 'docker.io/library/nginx:latest' })] }) }),
      findings: [
        { messageId: 'untagged', container: 'init', data: { container: 'init', image: 'busybox' }, path: 'spec.jobTemplate.spec.template.spec.initContainers[0].image' },
        { messageId: 'latest', container: 'app', data: { container: 'app', image: 'docker.io/library/nginx:latest' }, path: 'spec.jobTemplate.spec.template.spec.containers[0].image' },
      ],
    },
    {
      name: 'an ephemeral debug container with :latest',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [container({ name: 'debug', image: 'nicolaka/netshoot:latest' })] }) }),
      findings: [{ messageId: 'latest', container: 'debug', path: 'spec.ephemeralContainers[0].image' }],
    },
    {
      name: 'replication controller with an ECR image without a tag',
      object: replicationController({ spec: hardenedPodSpec({ containers: [container({ image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy' })] }) }),
      findings: [{ messageId: 'untagged', path: 'spec.template.spec.containers[0].image' }],
    },
  ],
});
