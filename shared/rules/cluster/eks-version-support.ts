// Kubernetes versions leaving EKS support: no more security patches, then extended-support fees, then a forced
// upgrade. "Now" is the snapshot's takenAt, so a rule never reads a clock.
import * as z from 'zod';
import { defineRule } from '../../engine/index.ts';
import { daysUntil, supportWindowOf } from '../../facts/kubernetes-versions.ts';

const options = z.strictObject({
  /** How many days before the end of standard support the rule starts warning. */
  warnDays: z.number().int().min(0).max(730).default(90),
});

export default defineRule({
  id: 'eks-version-support',
  meta: {
    title: 'EKS Kubernetes version out of (or leaving) standard support',
    description:
      'Each EKS Kubernetes version has 14 months of standard support and 12 of extended support (billed extra); after that EKS upgrades the control plane itself. Versions outside standard support get fewer fixes and cost more; the rule warns 90 days before the end of standard support by default (option `warnDays`). Dates come from DescribeClusterVersions, or from a bundled calendar of the EKS user guide when the API answer is missing.',
    severity: 'high',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    options,
    frameworks: { 'owasp-k8s-2022': ['K10'], 'nsa-cisa': ['upgrading'] },
    remediation:
      'Plan the upgrade one minor version at a time (`aws eks update-cluster-version`), after checking EKS upgrade insights for deprecated APIs; upgrade add-ons and node groups after the control plane.',
    messages: {
      unsupported: 'Cluster "{{cluster}}" runs Kubernetes {{version}}, past the end of extended support ({{date}}).',
      extended: 'Cluster "{{cluster}}" runs Kubernetes {{version}} in extended support since {{date}} (extended support ends {{extendedEnd}}).',
      endingSoon: 'Standard support of Kubernetes {{version}} on cluster "{{cluster}}" ends in {{days}} day(s), on {{date}}.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info?.version) return;
    const window = supportWindowOf(info.version, info.versionSupport);
    if (!window) return;
    const now = ctx.snapshot.takenAt;
    const details = { ...window, supportType: info.supportType ?? null };
    const toExtendedEnd = daysUntil(window.endOfExtendedSupportDate, now);
    if (window.source === 'older-than-calendar' || window.status === 'unsupported' || (toExtendedEnd !== undefined && toExtendedEnd <= 0)) {
      ctx.report({
        messageId: 'unsupported',
        data: { cluster: info.name, version: window.clusterVersion, date: window.endOfExtendedSupportDate ?? 'an earlier date' },
        path: 'version',
        details,
      });
      return;
    }
    const toStandardEnd = daysUntil(window.endOfStandardSupportDate, now);
    if (window.status === 'extended-support' || (toStandardEnd !== undefined && toStandardEnd <= 0)) {
      ctx.report({
        messageId: 'extended',
        data: {
          cluster: info.name,
          version: window.clusterVersion,
          date: window.endOfStandardSupportDate ?? 'an earlier date',
          extendedEnd: window.endOfExtendedSupportDate ?? 'a date EKS has not published',
        },
        path: 'version',
        severity: 'medium',
        details,
      });
      return;
    }
    if (toStandardEnd !== undefined && toStandardEnd <= ctx.options.warnDays) {
      ctx.report({
        messageId: 'endingSoon',
        data: { cluster: info.name, version: window.clusterVersion, days: toStandardEnd, date: window.endOfStandardSupportDate! },
        path: 'version',
        severity: 'low',
        details,
      });
    }
  },
});
