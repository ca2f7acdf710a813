// Restricted pods use only volume types that go through PersistentVolumes or hold pod-local data.
import { arrayField, defineRule, stringField } from '../../engine/index.ts';
import { isHostPathVolume } from '../../facts/host-path.ts';
import { placeAt, podSecurityOf, restrictedAllowedVolumeSources } from '../../facts/pod-security.ts';
import { isRecord, workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'restricted-volume-types',
  meta: {
    title: 'Pod uses a restricted volume type',
    description:
      'Inline volume sources such as nfs, iscsi, gitRepo, rbd, flexVolume or cloud disks let a pod author reach storage and node drivers directly instead of through a PersistentVolume an administrator controls.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['restricted/restrictedVolumes'],
      'nsa-cisa': ['pod-security'],
    },
    remediation: `Use a PersistentVolumeClaim for external storage; inline volumes may only be ${[...restrictedAllowedVolumeSources].join(', ')}.`,
    messages: {
      volume: 'Volume "{{volume}}" uses the restricted volume type {{type}}.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    arrayField(security.template.spec, 'volumes').forEach((volume, index) => {
      if (!isRecord(volume)) return;
      const sources = Object.keys(volume).filter(
        (key) => key !== 'name' && volume[key] !== undefined && volume[key] !== null,
      );
      // A volume without a source is an emptyDir once the API server has defaulted it.
      if (sources.length === 0 || sources.some((source) => restrictedAllowedVolumeSources.has(source))) return;
      // hostPath is reported by host-path-volume, which maps to this check as well.
      if (isHostPathVolume(volume)) return;
      const type = sources[0]!;
      const name = stringField(volume, 'name') ?? `volumes[${index}]`;
      ctx.report({
        messageId: 'volume',
        data: { volume: name, type },
        key: `volume:${name}`,
        path: placeAt(security.template.specSegments, 'volumes', index, type).path,
      });
    });
  },
});
