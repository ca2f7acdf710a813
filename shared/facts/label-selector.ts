// Kubernetes label selectors, one implementation for every reader: NetworkPolicy podSelectors (network rules),
// ClusterRole aggregation (rbac) and Service selectors (exposure and attack-path rules).
import { arrayField, recordField, stringField } from '../engine/workload.ts';
import { isRecord } from '../model/kube.ts';

/** True when a `metav1.LabelSelector` (matchLabels + matchExpressions) selects these labels. An empty selector
 * selects everything; a malformed one (not an object, an expression without a key or with an unknown operator)
 * selects nothing. Values are compared as given: labels read straight from a manifest are not coerced to strings. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = recordField(selector, 'matchLabels') ?? {};
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const expression of arrayField(selector, 'matchExpressions')) {
    const key = stringField(expression, 'key');
    if (key === undefined) return false;
    const values = arrayField(expression, 'values');
    const has = Object.hasOwn(labels, key);
    switch (stringField(expression, 'operator')) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when a selector has no terms (it selects every pod of its namespace). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  return Object.keys(recordField(selector, 'matchLabels') ?? {}).length === 0 && arrayField(selector, 'matchExpressions').length === 0;
}

/** A Service's `spec.selector`: a plain map that must be non-empty to select anything. */
export function serviceSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
