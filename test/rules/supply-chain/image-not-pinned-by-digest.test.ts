import rule from '../../../shared/rules/supply-chain/image-not-pinned-by-digest.ts';
import { container, daemonSet, deployment, hardenedPodSpec, job, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment (pinned by digest)', object: deployment() },
    { name: 'untagged and :latest images belong to image-latest-tag', object: pod({ spec: hardenedPodSpec({ containers: [container({ image: 'busybox' }), container({ name: 'b', image: 'nginx:latest' })] }) }) },
    { name: 'malformed image does not throw', object: pod({ spec: hardenedPodSpec({ containers: [container({ image: { name: 'x' } })] }) }) },
  ],
  invalid: [
    {
      name: 'a version tag in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [container()] }) }),
      findings: [
        {
          messageId: 'tagOnly',
          severity: 'low',
          container: 'app',
          data: { container: 'app', image: 'registry.example.com/app:1.2.3' },
          path: 'spec.template.spec.containers[0].image',
          fix: null,
        },
      ],
    },
    {
      name: 'a registry port is not a tag, init container of a job',
      object: job({ spec: hardenedPodSpec({ initContainers: [container({ name: 'init', image: 'localhost:5000/tools:v3' })] }) }),
      findings: [{ messageId: 'tagOnly', container: 'init', data: { container: 'init', image: 'localhost:5000/tools:v3' }, path: 'spec.template.spec.initContainers[0].image' }],
    },
    {
      name: 'ECR image of a daemonset',
      object: daemonSet({ spec: hardenedPodSpec({ containers: [container({ image: '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.23.0' })] }) }),
      findings: [{ messageId: 'tagOnly', path: 'spec.template.spec.containers[0].image' }],
    },
  ],
});
