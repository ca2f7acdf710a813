// A hostPath volume on a runtime socket or a node directory that holds credentials, binaries or kernel state.
import { arrayField, boolField, containersOf, defineRule, podTemplateOf, stringField, toJsonPath } from '../../engine/index.ts';
import { classifyHostPath, hostPathOf, normalizeHostPath } from '../../facts/host-path.ts';
import type { Severity } from '../../model/finding.ts';
import { workloadKinds } from '../../model/kube.ts';

/** A read-only mount of a path whose danger is writing to it: one step down. */
const lower: Record<Severity, Severity> = { critical: 'high', high: 'medium', medium: 'low', low: 'low', info: 'info' };

interface Mount {
  container: string;
  mountPath: string;
  readOnly: boolean;
}

export default defineRule({
  id: 'sensitive-host-path',
  meta: {
    title: 'Sensitive host path mounted',
    description:
      'A hostPath volume exposes a container runtime socket or a node directory holding credentials, binaries or kernel state; a container that can use it can take over the node.',
    severity: 'high',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K01'], 'nsa-cisa': ['pod-security'] },
    remediation:
      'Remove the hostPath volume; use a CSI driver, an emptyDir or a projected volume instead. If a node agent truly needs it, mount the narrowest sub-path read-only and record an exception with a reason.',
    messages: {
      sensitive: 'Volume "{{volume}}" mounts host path {{hostPath}} ({{what}}); {{mounts}}.',
    },
  },
  check(object, ctx) {
    const template = podTemplateOf(object);
    if (!template) return;
    const mountsByVolume = new Map<string, Mount[]>();
    for (const ref of containersOf(object)) {
      for (const mount of arrayField(ref.container, 'volumeMounts')) {
        const volume = stringField(mount, 'name');
        if (volume === undefined) continue;
        const list = mountsByVolume.get(volume) ?? [];
        list.push({
          container: ref.name,
          mountPath: stringField(mount, 'mountPath') ?? '',
          readOnly: boolField(mount, 'readOnly') === true,
        });
        mountsByVolume.set(volume, list);
      }
    }
    arrayField(template.spec, 'volumes').forEach((volume, index) => {
      const hostPath = hostPathOf(volume);
      if (hostPath === undefined || hostPath.trim() === '') return;
      const normalized = normalizeHostPath(hostPath.trim());
      const match = classifyHostPath(normalized);
      if (!match) return;
      const name = stringField(volume, 'name') ?? '';
      const label = name || `volumes[${index}]`;
      const mounts = name ? (mountsByVolume.get(name) ?? []) : [];
      const readOnly = mounts.length > 0 && mounts.every((m) => m.readOnly);
      const severity = readOnly && match.readOnlyLowers ? lower[match.severity] : match.severity;
      const described =
        mounts.length === 0
          ? 'no container mounts it yet'
          : 'mounted by ' + mounts.map((m) => `"${m.container}" (${m.readOnly ? 'read-only' : 'read-write'})`).join(', ');
      ctx.report({
        messageId: 'sensitive',
        data: { volume: label, hostPath, what: match.what, mounts: described },
        path: toJsonPath([...template.specSegments, 'volumes', index, 'hostPath', 'path']),
        key: label,
        severity,
        details: { hostPath, normalizedPath: normalized, matched: match.path, readOnly, mounts },
      });
    });
  },
});
