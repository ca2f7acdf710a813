// A hostPath volume mounts the node's file system into the pod: the usual first step of a container escape.
import { arrayField, defineRule, stringField } from '../../engine/index.ts';
import { hostPathOf, isHostPathVolume } from '../../facts/host-path.ts';
import { placeAt, podSecurityOf } from '../../facts/pod-security.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'host-path-volume',
  meta: {
    title: 'Pod mounts a hostPath volume',
    description:
      "A hostPath volume gives the pod a directory or file of the node's own file system; with write access (or a sensitive path) it reaches the kubelet, the container runtime or other pods' data.",
    severity: 'high',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      // A hostPath volume is also the first of the restricted level's forbidden volume types; it is reported once, here.
      pss: ['baseline/hostPathVolumes', 'restricted/restrictedVolumes'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Replace the hostPath volume with an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim; node agents that truly need the host file system belong in a dedicated, tightly controlled namespace.',
    messages: {
      hostPath: 'Volume "{{volume}}" mounts the node path "{{hostPath}}" (hostPath).',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    arrayField(security.template.spec, 'volumes').forEach((volume, index) => {
      if (!isHostPathVolume(volume)) return;
      const name = stringField(volume, 'name') ?? `volumes[${index}]`;
      ctx.report({
        messageId: 'hostPath',
        data: { volume: name, hostPath: hostPathOf(volume) ?? '(unspecified)' },
        key: `volume:${name}`,
        path: placeAt(security.template.specSegments, 'volumes', index, 'hostPath').path,
      });
    });
  },
});
