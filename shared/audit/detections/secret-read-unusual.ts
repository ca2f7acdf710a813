// Secrets read or listed by a principal that did not read secrets there during the learning period: a workload or
// person going beyond its habits, or a stolen credential exploring.
import type { AuditEvent } from '../../model/audit.ts';
import { baselineKey } from '../baseline.ts';
import { defineDetection, matchesPrincipal } from '../detection.ts';
import { isFinal, principalOf, readVerbs, succeeded } from '../event.ts';
import { eq } from '../filter-pattern.ts';

const dayMs = 24 * 60 * 60 * 1000;

/** A read of secrets: get, list or watch, in one namespace or (no namespace) all of them. */
function isSecretRead(event: AuditEvent): boolean {
  const ref = event.objectRef;
  return ref?.resource === 'secrets' && (ref.apiGroup ?? '') === '' && ref.subresource === undefined && readVerbs.has(event.verb);
}

/** Watches are long-running: their allowed start is the read. Everything else is judged complete. */
function isJudged(event: AuditEvent): boolean {
  return event.verb === 'watch' ? event.stage !== 'RequestReceived' : isFinal(event);
}

/** The access the baseline learns: reading secrets in a namespace, or `*` across all of them. */
function accessOf(event: AuditEvent): string {
  return `secrets:${event.objectRef?.namespace ?? '*'}`;
}

export default defineDetection({
  id: 'audit-secret-read-unusual',
  meta: {
    title: 'Secrets were read by a principal that does not usually read them',
    description:
      'Each principal\'s secret reads are learnt per namespace during a learning period; a read outside what was ' +
      'learnt is new behaviour: a new workload, a changed role, or a credential in the wrong hands.',
    severity: 'medium',
    domain: 'secrets',
    targets: ['Secret'],
    frameworks: { 'owasp-k8s-2022': ['K08', 'K03'], 'cis-eks-1.8': ['4.1.2'], 'nsa-cisa': ['secrets'] },
    remediation:
      'Confirm the principal should read these secrets. If not, remove get/list/watch on secrets from its roles ' +
      '(periscope who-can get secrets) and rotate what it read; if it should, suppress the finding with a reason.',
    messages: {
      unusual: '{{principal}} {{verb}} secrets {{where}}, which it did not during the learning period',
    },
  },
  needs: eq('$.objectRef.resource', 'secrets'),
  observe(event, settings) {
    const username = event.user.username;
    if (!username || !isSecretRead(event) || !isJudged(event) || !succeeded(event)) return undefined;
    if (matchesPrincipal(username, settings.systemPrincipals)) return undefined;
    return { principal: username, access: accessOf(event), at: event.stageTimestamp };
  },
  detect(event, ctx) {
    const username = event.user.username;
    if (!username || !isSecretRead(event) || !isJudged(event) || !succeeded(event)) return;
    if (matchesPrincipal(username, ctx.settings.systemPrincipals)) return;
    const firstSeen = ctx.baseline.firstSeen.get(baselineKey(username, accessOf(event)));
    const learntUntil = Date.parse(ctx.baseline.learningStartedAt) + ctx.settings.learningPeriodDays * dayMs;
    if (firstSeen === undefined || Date.parse(firstSeen) < learntUntil) return;
    const namespace = event.objectRef?.namespace;
    ctx.report({
      messageId: 'unusual',
      data: {
        principal: username,
        verb: event.verb === 'get' ? 'read' : event.verb === 'list' ? 'listed' : 'watched',
        where: namespace ? `in namespace ${namespace}` : 'across all namespaces',
      },
      resource: principalOf(username),
      key: `${accessOf(event)}:${event.verb}`,
      details: { namespace: namespace ?? '*', firstSeenAt: firstSeen },
    });
  },
});
