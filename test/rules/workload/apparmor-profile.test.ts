import rule from '../../../shared/rules/workload/apparmor-profile.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const annotation = (name: string) => `container.apparmor.security.beta.kubernetes.io/${name}`;

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    {
      name: 'RuntimeDefault and Localhost profiles',
      object: pod({
        spec: hardenedPodSpec({
          securityContext: { runAsNonRoot: true, appArmorProfile: { type: 'RuntimeDefault' } },
          containers: [container({ securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-app' } } })],
        }),
      }),
    },
    {
      name: 'allowed annotation values',
      object: deployment({
        templateMetadata: { annotations: { [annotation('app')]: 'runtime/default', [annotation('b')]: 'localhost/foo', [annotation('c')]: '' } },
      }),
    },
    { name: 'annotations on the Deployment itself are not the pod template', object: deployment({ metadata: { annotations: { [annotation('app')]: 'unconfined' } } }) },
    { name: 'malformed profile and annotations do not throw', object: pod({ metadata: { annotations: 'x' }, spec: hardenedPodSpec({ securityContext: { appArmorProfile: 'Unconfined' } }) }) },
  ],
  invalid: [
    {
      name: 'Unconfined profile on the pod of a deployment',
      object: deployment({ spec: hardenedPodSpec({ securityContext: { runAsNonRoot: true, appArmorProfile: { type: 'Unconfined' } } }) }),
      findings: [
        {
          messageId: 'podProfile',
          data: { type: 'Unconfined' },
          path: 'spec.template.spec.securityContext.appArmorProfile.type',
          fix: {
            description: 'Use the RuntimeDefault AppArmor profile',
            patch: [{ op: 'replace', path: '/spec/template/spec/securityContext/appArmorProfile', value: { type: 'RuntimeDefault' } }],
          },
        },
      ],
    },
    {
      name: 'Unconfined on an init container and a profile with no type, in a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', securityContext: { appArmorProfile: { type: 'Unconfined' } } })],
          containers: [container({ securityContext: { appArmorProfile: {} } })],
        }),
      }),
      findings: [
        { messageId: 'containerProfile', data: { container: 'init', type: 'Unconfined' }, container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.appArmorProfile.type' },
        { messageId: 'containerProfile', data: { container: 'app', type: '' }, container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.appArmorProfile.type' },
      ],
    },
    {
      name: 'unconfined annotation on a pod',
      object: pod({ metadata: { annotations: { [annotation('app')]: 'unconfined', other: 'x' } } }),
      findings: [
        {
          messageId: 'annotation',
          data: { annotation: annotation('app'), container: 'app', value: 'unconfined' },
          container: 'app',
          path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
          fix: {
            description: 'Use the runtime/default AppArmor profile',
            patch: [{ op: 'replace', path: '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app', value: 'runtime/default' }],
          },
        },
      ],
    },
    {
      name: 'annotation on the pod template of a deployment',
      object: deployment({ templateMetadata: { annotations: { [annotation('init')]: 'docker-default' } } }),
      findings: [{ messageId: 'annotation', container: 'init', path: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/init"]' }],
    },
  ],
});
