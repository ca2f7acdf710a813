// The shape of an event detection: rule-like metadata beside a pure check of one audit event. Its findings have the
// same shape and fingerprint scheme as a rule's, so the store, Slack and Jira treat them alike.
import type { MessageData, RuleMeta } from '../engine/rule.ts';
import type { AuditEvent } from '../model/audit.ts';
import type { Severity } from '../model/finding.ts';
import type { ObjectRef } from '../model/kube.ts';
import type { Cidr } from './cidr.ts';
import type { BaselineObservation, BaselineState } from './baseline.ts';
import type { FilterTerm } from './filter-pattern.ts';

export interface AuditDetectionSettings {
  /** Node and pod CIDRs (and NAT addresses the cluster's own traffic leaves by): a service account calling from
   * elsewhere is used outside the cluster. Empty: source addresses are not judged, only user agents. */
  internalCidrs: readonly string[];
  /** User-agent prefixes of tools people run (compared case-insensitively). */
  humanUserAgents: readonly string[];
  /** Days after the cluster's first audit event during which secret reads are learnt, not reported. */
  learningPeriodDays: number;
  /** Usernames (exact, or a prefix ending in `*`) of control-plane components: never judged by the baseline. */
  systemPrincipals: readonly string[];
}

export const defaultAuditDetectionSettings: AuditDetectionSettings = {
  internalCidrs: [],
  humanUserAgents: ['kubectl', 'k9s', 'lens', 'openlens', 'headlamp', 'kubectl-', 'helm', 'octant', 'kubernetes-dashboard'],
  learningPeriodDays: 14,
  // Control-plane and EKS-managed identities (Falco's k8saudit-eks allow-list, plus the node and controller users).
  systemPrincipals: [
    'system:apiserver',
    'system:kube-controller-manager',
    'system:kube-scheduler',
    'system:kube-proxy',
    'system:node:*',
    'eks:*',
  ],
};

interface HitBase {
  /** What the finding is about: the pod exec'd into, the binding, the principal. */
  resource: ObjectRef;
  /** Distinguishes several findings of the detection on one resource (the user, the namespace). */
  key?: string;
  severity?: Severity;
  /** Facts for the finding's details; never a request body. */
  details?: Record<string, unknown>;
}

export type DetectionHit<M extends Record<string, string> = Record<string, string>> = {
  [K in keyof M & string]: HitBase & { messageId: K; data?: MessageData<M[K]> };
}[keyof M & string];

export interface DetectionEventContext<M extends Record<string, string>> {
  settings: AuditDetectionSettings;
  /** settings.internalCidrs, parsed once per batch. */
  internalCidrs: readonly Cidr[];
  baseline: BaselineState;
  report(hit: DetectionHit<M>): void;
}

export type DetectionMeta<M extends Record<string, string>> = Omit<RuleMeta<M>, 'options' | 'requires'>;

export interface Detection<M extends Record<string, string>> {
  id: string;
  meta: DetectionMeta<M>;
  /** The events it reads, as a subscription filter term: the filter pattern is built from these. */
  needs: FilterTerm;
  /** What the event teaches the principal baseline, for detections that judge against it. */
  observe?(event: AuditEvent, settings: AuditDetectionSettings): BaselineObservation | undefined;
  detect(event: AuditEvent, ctx: DetectionEventContext<M>): void;
}

/** A detection with its message types erased, as the registry holds it. */
export interface AnyDetection {
  id: string;
  meta: DetectionMeta<Record<string, string>>;
  needs: FilterTerm;
  observe?(event: AuditEvent, settings: AuditDetectionSettings): BaselineObservation | undefined;
  detect(event: AuditEvent, ctx: DetectionEventContext<Record<string, string>>): void;
}

export function defineDetection<const M extends Record<string, string>>(detection: Detection<M>): AnyDetection {
  return detection;
}

/** `eks:*` style matching of a username against a list. */
export function matchesPrincipal(username: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? username.startsWith(pattern.slice(0, -1)) : username === pattern));
}
