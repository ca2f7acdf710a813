// A writable root file system lets an intruder drop tools and tamper with the application's own files.
import {
  boolField,
  containersOf,
  defineRule,
  fix,
  podTemplateOf,
  recordField,
  setOps,
  stringField,
} from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'writable-root-filesystem',
  meta: {
    title: 'Writable root file system',
    description:
      "The container's root file system is writable: an intruder can download tools, persist changes and alter the application's binaries and configuration.",
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K01'], 'nsa-cisa': ['pod-security'] },
    remediation:
      'Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the application must write (/tmp, caches).',
    messages: {
      writable: 'Container "{{container}}" can write to its root file system.',
    },
  },
  check(object, ctx) {
    // Windows containers do not support a read-only root file system.
    if (stringField(recordField(podTemplateOf(object)?.spec, 'os'), 'name') === 'windows') return;
    for (const ref of containersOf(object)) {
      if (boolField(recordField(ref.container, 'securityContext'), 'readOnlyRootFilesystem') === true) continue;
      ctx.report({
        messageId: 'writable',
        data: { container: ref.name },
        container: ref.name,
        path: `${ref.path}.securityContext.readOnlyRootFilesystem`,
        fix: fix(
          'Set readOnlyRootFilesystem to true (mount an emptyDir where the application writes)',
          setOps(object, [...ref.segments, 'securityContext', 'readOnlyRootFilesystem'], true),
        ),
      });
    }
  },
});
