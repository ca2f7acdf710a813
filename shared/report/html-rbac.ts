// The "who can" highlights of the HTML report: subjects that are cluster-admin, read secrets or exec into pods.
// From the effective-permission analysis when the snapshot is at hand, else from the RBAC findings' details.
import { SnapshotIndex } from '../engine/snapshot-index.ts';
import { severityRank, type Finding, type Severity } from '../model/finding.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { analyzeRbac, summarizeRisks } from '../rbac/analysis.ts';
import { bindingKey, describeScope, type BindingRef, type GrantScope } from '../rbac/grants.ts';
import { dominantClasses, type RiskClass } from '../rbac/risk.ts';
import { formatSubject, type Subject } from '../rbac/subjects.ts';

export interface RbacHighlight {
  /** `sa:ops:dashboard`, `user:alice`, `group:devs`. */
  subject: string;
  riskClass: RiskClass;
  /** What the subject can do, in a few words. */
  power: string;
  /** `cluster-wide` or `in <namespaces>`. */
  scope: string;
  /** The bindings (or access entries) that grant it. */
  via: string[];
  severity: Severity;
}

const highlighted: Partial<Record<RiskClass, string>> = {
  'cluster-admin': 'cluster-admin (anything, anywhere)',
  'namespace-admin': 'administer the namespace',
  'read-secrets': 'read secrets',
  'pods-exec': 'exec into pods',
};

const isHighlighted = (riskClass: string): riskClass is RiskClass => Object.hasOwn(highlighted, riskClass);

function sorted(highlights: RbacHighlight[]): RbacHighlight[] {
  return highlights.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.subject.localeCompare(b.subject) || a.riskClass.localeCompare(b.riskClass),
  );
}

/** Built-in Kubernetes and EKS grants are left out: they are in every cluster and not the user's to change. */
function fromAnalysis(snapshot: Snapshot): RbacHighlight[] {
  const rbac = analyzeRbac(new SnapshotIndex(snapshot));
  const out: RbacHighlight[] = [];
  for (const subject of rbac.subjects()) {
    let hits = summarizeRisks(rbac.permissionsOf(subject).filter((grant) => !grant.builtIn)).filter((hit) => isHighlighted(hit.riskClass));
    if (hits.some((hit) => dominantClasses.has(hit.riskClass))) hits = hits.filter((hit) => dominantClasses.has(hit.riskClass));
    for (const hit of hits) {
      out.push({
        subject: formatSubject(subject),
        riskClass: hit.riskClass,
        power: highlighted[hit.riskClass] ?? hit.riskClass,
        scope: hit.scope === 'cluster' ? 'cluster-wide' : `in ${hit.namespaces.join(', ')}`,
        via: hit.grantedBy.map(bindingKey),
        severity: hit.severity,
      });
    }
  }
  return out;
}

/** The same table from what the RBAC rules reported (`details.riskClass`, `subject`, `binding`, `scope`). */
function fromFindings(findings: readonly Finding[]): RbacHighlight[] {
  const byKey = new Map<string, RbacHighlight>();
  for (const finding of findings) {
    if (finding.status === 'RESOLVED') continue;
    const details = finding.details ?? {};
    const riskClass = details.riskClass;
    const subject = details.subject as Subject | undefined;
    if (typeof riskClass !== 'string' || !isHighlighted(riskClass) || !subject || typeof subject.name !== 'string') continue;
    const binding = details.binding as (BindingRef & { key?: string }) | undefined;
    const scope = details.scope as GrantScope | undefined;
    const scopeText = !scope || scope.type === 'cluster' ? 'cluster-wide' : `in ${describeScope(scope)}`;
    const key = `${formatSubject(subject)}|${riskClass}|${scopeText}`;
    const via = binding ? (binding.key ?? bindingKey(binding)) : `${finding.resource.kind}/${finding.resource.name}`;
    const seen = byKey.get(key);
    if (seen) {
      if (!seen.via.includes(via)) seen.via.push(via);
      continue;
    }
    byKey.set(key, { subject: formatSubject(subject), riskClass, power: highlighted[riskClass] ?? riskClass, scope: scopeText, via: [via], severity: finding.severity });
  }
  return [...byKey.values()];
}

export function rbacHighlightsOf(findings: readonly Finding[], snapshot?: Snapshot): RbacHighlight[] {
  return sorted(snapshot ? fromAnalysis(snapshot) : fromFindings(findings));
}
