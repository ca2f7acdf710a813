// How findings become SUPPRESSED: matchers consulted in order, the first match wins.
import type { Finding, Suppression } from '../model/finding.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import { annotationsOf } from './snapshot-index.ts';
import { podTemplateOf } from './workload.ts';

export interface ExceptionMatcher {
  /** A suppression for this finding, or undefined. `object` is the object the finding is about. */
  match(finding: Omit<Finding, 'status' | 'suppression'>, object: KubeObject | undefined): Suppression | undefined;
}

const ignoreAnnotationPrefix = 'periscope.dev/ignore.';

/** `periscope.dev/ignore.<rule-id>: "<reason>"` on the object (or its pod template) suppresses that rule there. */
export const annotationExceptions: ExceptionMatcher = {
  match(finding, object) {
    if (!object) return undefined;
    const key = ignoreAnnotationPrefix + finding.ruleId;
    const templateAnnotations = podTemplateOf(object)?.metadata?.annotations;
    const candidates = [annotationsOf(object)[key], isRecord(templateAnnotations) ? templateAnnotations[key] : undefined];
    const reason = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '');
    return reason === undefined ? undefined : { reason: reason.trim(), source: 'annotation' };
  },
};
