// Namespaces without Pod Security Admission enforcement, with the level each could enforce today. The rule reads
// the PSS mappings of the registered rules; importing the registry from here would be an import cycle, so the
// registry hands the catalogue over with usePssCatalogue().
import { defineRule, fix, setOps, toJsonPath, type AnyRule } from '../../engine/index.ts';
import { labelsOf, nameOf } from '../../engine/snapshot-index.ts';
import { listNames } from '../exposure/list-names.ts';
import { isSystemNamespace } from '../network/label-selector.ts';
import { pssReadinessOf } from './pss-readiness.ts';

export const enforceLabel = 'pod-security.kubernetes.io/enforce';

let registered: (() => readonly AnyRule[]) | undefined;

/** Called once by shared/rules/index.ts with the catalogue whose `pss` mappings judge readiness. */
export function usePssCatalogue(catalogue: () => readonly AnyRule[]): void {
  registered = catalogue;
}

function registeredCatalogue(): readonly AnyRule[] {
  if (!registered) throw new Error('namespace-pss-enforce-missing has no rule catalogue: shared/rules/index.ts must call usePssCatalogue()');
  return registered();
}

/** The rule, reading PSS mappings from the given catalogue (tests pass their own). */
export function namespacePssEnforceMissing(catalogue: () => readonly AnyRule[]): AnyRule {
  return defineRule({
    id: 'namespace-pss-enforce-missing',
    meta: {
      title: 'Namespace without Pod Security Admission enforcement',
      description:
        'Without a `pod-security.kubernetes.io/enforce` label (or with `privileged`), Pod Security Admission admits any pod into the namespace, privileged ones included. The finding says which level (restricted or baseline) the namespace could enforce today without rejecting any of its running workloads, judged by Periscope\'s own PSS checks. kube-system, kube-public and kube-node-lease are skipped.',
      severity: 'medium',
      domain: 'policy',
      targets: ['Namespace'],
      frameworks: { 'owasp-k8s-2022': ['K04'], 'nsa-cisa': ['pod-security'] },
      remediation:
        'Label the namespace with the strictest level its workloads pass (`kubectl label ns <ns> pod-security.kubernetes.io/enforce=restricted`); where workloads still block it, start with `warn`/`audit` labels and fix the listed workloads.',
      messages: {
        missing: 'Namespace "{{namespace}}" enforces no Pod Security Standard; {{advice}}.',
        privileged: 'Namespace "{{namespace}}" enforces the privileged Pod Security level (no restriction); {{advice}}.',
      },
    },
    check(object, ctx) {
      const namespace = nameOf(object);
      if (!namespace || isSystemNamespace(namespace)) return;
      const current = labelsOf(object)[enforceLabel];
      if (current === 'baseline' || current === 'restricted') return;
      const readiness = pssReadinessOf(namespace, ctx.snapshot, catalogue());
      const blockers = readiness.baselineBlockers.map((b) => b.workload);
      const segments = ['metadata', 'labels', enforceLabel];
      const advice = readiness.readyFor
        ? `it could enforce ${readiness.readyFor} today without rejecting any running workload`
        : `baseline would reject ${listNames(blockers, '')}`;
      ctx.report({
        messageId: current === 'privileged' ? 'privileged' : 'missing',
        data: { namespace, advice },
        path: toJsonPath(segments),
        details: { ...readiness },
        ...(readiness.readyFor
          ? { fix: fix(`Enforce the ${readiness.readyFor} Pod Security Standard`, setOps(object, segments, readiness.readyFor)) }
          : {}),
      });
    },
  });
}

export default namespacePssEnforceMissing(registeredCatalogue);
