// A Windows HostProcess container runs directly on the node as a host process: full access to the node.
import { boolField, defineRule, fix, recordField, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, placeAt, podSecurityOf, type SecurityContextRef } from '../../facts/pod-security.ts';

const isHostProcess = (scope: SecurityContextRef): boolean =>
  boolField(recordField(scope.context, 'windowsOptions'), 'hostProcess') === true;

export default defineRule({
  id: 'windows-host-process',
  meta: {
    title: 'Windows HostProcess container',
    description:
      "HostProcess containers run on the Windows node outside any container isolation, with the node's file system, network and privileges: the Windows equivalent of a privileged container.",
    severity: 'critical',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['baseline/windowsHostProcess'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove `securityContext.windowsOptions.hostProcess: true` from the pod and its containers; keep node-management HostProcess workloads in a dedicated, privileged namespace.',
    messages: {
      pod: 'The pod runs its containers as Windows host processes (windowsOptions.hostProcess: true).',
      container: 'Container "{{container}}" runs as a Windows host process (windowsOptions.hostProcess: true).',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    if (isHostProcess(security.pod)) {
      const place = placeAt(security.pod.segments, 'windowsOptions', 'hostProcess');
      ctx.report({
        messageId: 'pod',
        path: place.path,
        fix: fix('Set hostProcess to false', setOps(object, place.segments, false)),
      });
    }
    for (const scope of security.containers) {
      if (!isHostProcess(scope)) continue;
      const place = placeAt(scope.segments, 'windowsOptions', 'hostProcess');
      ctx.report({
        messageId: 'container',
        data: { container: containerLabel(scope.ref) },
        container: scope.ref.name,
        path: place.path,
        fix: fix('Set hostProcess to false', setOps(object, place.segments, false)),
      });
    }
  },
});
