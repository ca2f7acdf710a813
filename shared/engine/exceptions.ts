// How findings become SUPPRESSED: matchers consulted in order, the first match wins.
import type { Finding, Suppression } from '../model/finding.ts';
import type { KubeObject } from '../model/kube.ts';
import { annotationsOf } from './snapshot-index.ts';

export interface ExceptionMatcher {
  /** A suppression for this finding, or undefined. `object` is the object the finding is about. */
  match(finding: Omit<Finding, 'status' | 'suppression'>, object: KubeObject | undefined): Suppression | undefined;
}

export const ignoreAnnotationPrefix = 'periscope.dev/ignore.';

/** `periscope.dev/ignore.<rule-id>: "<reason>"` on the object (or its pod template) suppresses that rule there. */
export const annotationExceptions: ExceptionMatcher = {
  match(finding, object) {
    if (!object) return undefined;
    const reason = annotationsOf(object)[ignoreAnnotationPrefix + finding.ruleId];
    if (typeof reason !== 'string' || reason.trim() === '') return undefined;
    return { reason: reason.trim(), source: 'annotation' };
  },
};
