// Causes of findings (issue 13): the audit events that changed an object, kept by object (`refKey`:
// `Deployment/shop/web`) between the audit-events function that sees them and the rescan that opens its findings.
import type { Cause } from '../model/audit.ts';
import type { Finding } from '../model/finding.ts';
import { refKey } from '../model/kube.ts';

/**
 * The findings with the causes of their objects' changes made after `since` (the cluster's previous committed scan:
 * it saw older changes). A finding the scan does not open is stored as before (reconcile leaves unchanged findings
 * alone), so only opened, reopened or changed findings keep a cause.
 */
export function withCauses(findings: readonly Finding[], causes: ReadonlyMap<string, readonly Cause[]>, since: string | undefined): Finding[] {
  if (causes.size === 0) return [...findings];
  const after = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  return findings.map((finding) => {
    const own = causes.get(refKey(finding.resource))?.filter((cause) => !(Date.parse(cause.time) < after));
    return own && own.length > 0 ? { ...finding, cause: [...own] } : finding;
  });
}
