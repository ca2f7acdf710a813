// An unconfined AppArmor profile removes the mandatory access control the runtime applies by default.
import { defineRule, fix, recordField, setOps, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import {
  allowedAppArmorTypes,
  appArmorAnnotationPrefix,
  containerLabel,
  isAllowedAppArmorAnnotation,
  placeAt,
  podSecurityOf,
  type SecurityContextRef,
} from '../../facts/pod-security.ts';

const runtimeDefault = { type: 'RuntimeDefault' };

export default defineRule({
  id: 'apparmor-profile',
  meta: {
    title: 'AppArmor profile is overridden',
    description:
      'Container runtimes confine containers with a default AppArmor profile; setting the profile to Unconfined (or to anything but RuntimeDefault or a Localhost profile) removes that confinement.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['baseline/appArmorProfile'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Set `securityContext.appArmorProfile.type` to RuntimeDefault (or Localhost with a reviewed profile), and drop `container.apparmor.security.beta.kubernetes.io/*` annotations other than runtime/default or localhost/<profile>.',
    messages: {
      podProfile: 'The pod sets appArmorProfile.type to "{{type}}".',
      containerProfile: 'Container "{{container}}" sets appArmorProfile.type to "{{type}}".',
      annotation: 'Annotation {{annotation}} sets the AppArmor profile of container "{{container}}" to "{{value}}".',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    const badType = (scope: SecurityContextRef): string | undefined => {
      const profile = recordField(scope.context, 'appArmorProfile');
      if (!profile) return undefined;
      const type = stringField(profile, 'type') ?? '';
      return allowedAppArmorTypes.has(type) ? undefined : type;
    };
    const podType = badType(security.pod);
    if (podType !== undefined) {
      const place = placeAt(security.pod.segments, 'appArmorProfile');
      ctx.report({
        messageId: 'podProfile',
        data: { type: podType },
        path: `${place.path}.type`,
        fix: fix('Use the RuntimeDefault AppArmor profile', setOps(object, place.segments, runtimeDefault)),
      });
    }
    for (const scope of security.containers) {
      const type = badType(scope);
      if (type === undefined) continue;
      const place = placeAt(scope.segments, 'appArmorProfile');
      ctx.report({
        messageId: 'containerProfile',
        data: { container: containerLabel(scope.ref), type },
        container: scope.ref.name,
        path: `${place.path}.type`,
        fix: fix('Use the RuntimeDefault AppArmor profile', setOps(object, place.segments, runtimeDefault)),
      });
    }
    const annotations = recordField(security.template.metadata, 'annotations') ?? {};
    for (const [annotation, value] of Object.entries(annotations)) {
      if (!annotation.startsWith(appArmorAnnotationPrefix) || typeof value !== 'string') continue;
      if (isAllowedAppArmorAnnotation(value)) continue;
      const container = annotation.slice(appArmorAnnotationPrefix.length);
      const place = placeAt(security.template.metadataSegments, 'annotations', annotation);
      ctx.report({
        messageId: 'annotation',
        data: { annotation, container, value },
        container,
        key: `annotation:${annotation}`,
        path: place.path,
        fix: fix('Use the runtime/default AppArmor profile', setOps(object, place.segments, 'runtime/default')),
      });
    }
  },
});
