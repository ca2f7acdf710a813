// The `kubectl patch` command that applies a finding's JSON Patch suggestion, quoted for a POSIX shell (names are
// attacker-controlled: a name must never become shell syntax).
import type { Finding } from '../model/finding.ts';

/** Quotes a word for sh/bash/zsh unless it is made only of characters no shell treats specially. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9._/:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Cluster-level findings (EKS settings, the snapshot itself) are fixed with the AWS API, not kubectl. */
const notKubernetes = /^(eks\.amazonaws\.com|periscope\.dev)\//;

/** `kubectl patch deployment.apps web -n shop --type=json -p '[...]'`, or undefined when the fix is not a Kubernetes patch. */
export function fixCommandOf(finding: Pick<Finding, 'fix' | 'resource'>): string | undefined {
  const patch = finding.fix?.patch;
  if (!patch || patch.length === 0) return undefined;
  const { apiVersion, kind, namespace, name } = finding.resource;
  if (notKubernetes.test(apiVersion)) return undefined;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const type = group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
  const where = namespace ? ` -n ${shellQuote(namespace)}` : '';
  return `kubectl patch ${shellQuote(type)} ${shellQuote(name)}${where} --type=json -p ${shellQuote(JSON.stringify(patch))}`;
}
