// Platform defaults on real EKS system add-ons (../shared/corpora/eks-system-addons): detected, SUPPRESSED with a
// reason, never alerted; the same misconfiguration in a user's workload stays OPEN.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PlatformDefaults, platformComponentIds, platformDefaultExceptions } from '../../shared/engine/platform-defaults.ts';
import { engineErrorRuleId, runRules } from '../../shared/engine/run.ts';
import type { Finding } from '../../shared/model/finding.ts';
import { clusterScopedKinds, isRecord, refKey, type KubeObject } from '../../shared/model/kube.ts';
import { rules } from '../../shared/rules/index.ts';
import { container, daemonSet, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = resolve(repoRoot, '..', 'shared', 'corpora', 'eks-system-addons');
const present = existsSync(corpus);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ya?ml|json)$/.test(name) && name !== 'expected.json' && name !== 'kustomization.yaml' ? [path] : [];
  });
}

/** What `kustomize build` does with `namespace:`: namespaced objects and service-account subjects get it. */
function kustomizeNamespace(file: string): string | undefined {
  const kustomization = join(dirname(file), 'kustomization.yaml');
  if (!existsSync(kustomization)) return undefined;
  const value = (parse(readFileSync(kustomization, 'utf8')) as { namespace?: unknown }).namespace;
  return typeof value === 'string' ? value : undefined;
}

function objectsOf(file: string): KubeObject[] {
  const text = readFileSync(file, 'utf8');
  const docs: unknown[] = file.endsWith('.json') ? [JSON.parse(text)] : parseAllDocuments(text).map((d) => d.toJSON());
  const objects = docs.flatMap((doc) => (isRecord(doc) && doc.kind === 'List' && Array.isArray(doc.items) ? doc.items : [doc]));
  const namespace = kustomizeNamespace(file);
  // The upstream Pod Identity Agent renderings use `helm template`'s default namespace; EKS installs it in kube-system.
  const helmDefault = file.includes('eks-pod-identity-agent') ? 'kube-system' : undefined;
  return objects.filter(isRecord).filter((o) => typeof o.kind === 'string').map((raw) => {
    const object = structuredClone(raw) as KubeObject;
    const meta = (object.metadata ??= {});
    const kind = String(object.kind);
    if (!clusterScopedKinds.has(kind) && kind !== 'CSIDriver') {
      if (namespace && !meta.namespace) meta.namespace = namespace;
      if (helmDefault) meta.namespace = helmDefault;
    }
    if (Array.isArray(object.subjects)) {
      for (const subject of object.subjects) {
        if (isRecord(subject) && subject.kind === 'ServiceAccount') {
          if (namespace && !subject.namespace) subject.namespace = namespace;
          if (helmDefault) subject.namespace = helmDefault;
        }
      }
    }
    return object;
  });
}

const keyOf = (f: Finding): string => refKey(f.resource);
const isPodSpecHolder = (o: KubeObject): boolean => ['Deployment', 'DaemonSet', 'StatefulSet', 'Pod', 'Job', 'CronJob'].includes(String(o.kind));

/** The user's own copy: same spec, new name, no platform labels, in `namespace` (or cluster-scoped as it was). */
function userCopy(object: KubeObject, namespace: string | undefined, rename: boolean): KubeObject {
  const copy = structuredClone(object);
  const meta = (copy.metadata ??= {});
  if (rename) meta.name = `acme-${String(meta.name)}`;
  if (namespace && meta.namespace !== undefined) meta.namespace = namespace;
  if (rename) {
    delete meta.labels;
    const template = isRecord(copy.spec) && isRecord(copy.spec.template) ? copy.spec.template : undefined;
    if (template && isRecord(template.metadata)) delete template.metadata.labels;
  }
  return copy;
}

describe.skipIf(!present)(`platform defaults on eks-system-addons${present ? '' : ` (skipped: corpus not found at ${corpus})`}`, () => {
  const files = present ? filesUnder(corpus) : [];
  const cluster = { id: 'manifests:eks-system-addons', name: 'eks-system-addons', source: 'manifests' as const };

  const scans = files.map((file) => {
    const objects = objectsOf(file);
    const snapshot = snapshotOf(objects, { cluster });
    const withDefaults = runRules(snapshot, rules, { exceptions: [platformDefaultExceptions()] }).findings;
    const without = runRules(snapshot, rules).findings;
    return { file: relative(corpus, file), objects, withDefaults, without };
  });

  it('finds the real misconfigurations of system components, and suppresses every one with a reason', () => {
    let onComponents = 0;
    for (const { file, objects, withDefaults } of scans) {
      const componentKeys = new Set(objects.map((o) => refKey({ kind: String(o.kind), namespace: o.metadata?.namespace, name: String(o.metadata?.name) })));
      for (const finding of withDefaults) {
        if (finding.ruleId === engineErrorRuleId || !componentKeys.has(keyOf(finding))) continue;
        onComponents += 1;
        expect({ file, finding: `${finding.ruleId} ${keyOf(finding)}`, status: finding.status }).toEqual({
          file, finding: `${finding.ruleId} ${keyOf(finding)}`, status: 'SUPPRESSED',
        });
        expect(finding.suppression?.source).toBe('platform-default');
        expect(finding.suppression?.reason.length).toBeGreaterThan(40);
      }
    }
    // kube-proxy and ebs-csi-node are privileged: the scanner must still see them.
    expect(onComponents).toBeGreaterThan(0);
    const kubeProxy = scans.flatMap((s) => s.withDefaults).filter((f) => f.ruleId === 'privileged-container' && f.resource.name === 'kube-proxy');
    expect(kubeProxy.length).toBeGreaterThan(0);
    expect(kubeProxy.every((f) => f.suppression?.exceptionId === 'platform:kube-proxy')).toBe(true);
  });

  it('detects the same findings with the defaults switched off, all OPEN', () => {
    for (const { withDefaults, without } of scans) {
      expect(without.map((f) => f.fingerprint).sort()).toEqual(withDefaults.map((f) => f.fingerprint).sort());
      expect(without.filter((f) => f.suppression?.source === 'platform-default')).toEqual([]);
    }
  });

  it('switches off one component at a time', () => {
    const sample = scans.find((s) => s.file.endsWith('sample-1.25.json'));
    expect(sample).toBeDefined();
    const snapshot = snapshotOf(sample!.objects, { cluster });
    const { findings } = runRules(snapshot, rules, { exceptions: [platformDefaultExceptions({ disabled: ['kube-proxy'] })] });
    const proxy = findings.filter((f) => f.resource.name === 'kube-proxy' && f.resource.kind === 'DaemonSet');
    expect(proxy.length).toBeGreaterThan(0);
    expect(proxy.every((f) => f.status === 'OPEN')).toBe(true);
    expect(findings.filter((f) => f.resource.name === 'aws-node' && f.resource.kind === 'DaemonSet').every((f) => f.status === 'SUPPRESSED')).toBe(true);
    expect(() => platformDefaultExceptions({ disabled: ['kube-proxi'] })).toThrow(/Unknown platform component\(s\) kube-proxi.*known: aws-node/);
  });

  it('does not hide the same misconfiguration in a user namespace, or unlabelled copies inside kube-system', () => {
    let userFindings = 0;
    for (const { objects, withDefaults } of scans) {
      const copies = [
        ...objects.filter((o) => o.metadata?.namespace !== undefined).map((o) => userCopy(o, 'team-a', false)),
        ...objects.map((o) => userCopy(o, undefined, true)),
      ];
      const findings = runRules(snapshotOf(copies, { cluster }), rules, { exceptions: [platformDefaultExceptions()] }).findings;
      const hidden = findings.filter((f) => f.suppression?.source === 'platform-default');
      expect(hidden.map((f) => `${f.ruleId} ${keyOf(f)}`)).toEqual([]);
      userFindings += findings.length;
      // Every rule that fired on a system workload fires on the user's copy in team-a too.
      for (const original of objects.filter(isPodSpecHolder)) {
        const name = String(original.metadata?.name);
        const fired = new Set(withDefaults.filter((f) => f.resource.kind === original.kind && f.resource.name === name && f.resource.namespace === original.metadata?.namespace).map((f) => f.ruleId));
        const copyFired = new Set(findings.filter((f) => f.resource.kind === original.kind && f.resource.name === name && f.resource.namespace === 'team-a').map((f) => f.ruleId));
        for (const ruleId of fired) expect({ name, ruleId, inCopy: copyFired.has(ruleId) }).toEqual({ name, ruleId, inCopy: true });
      }
    }
    expect(userFindings).toBeGreaterThan(0);
  });
});

describe('PlatformDefaults', () => {
  const defaults = new PlatformDefaults();
  const privileged = hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] });

  it('needs the namespace and a component name or label', () => {
    const labelled = daemonSet({ name: 'node-agent', namespace: 'kube-system', templateMetadata: { labels: { 'k8s-app': 'aws-node' } }, spec: privileged });
    const findings = runRules(snapshotOf([labelled]), rules, { exceptions: [defaults] }).findings.filter((f) => f.resource.name === 'node-agent');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.suppression?.exceptionId === 'platform:aws-node')).toBe(true);

    const elsewhere = daemonSet({ name: 'aws-node', namespace: 'default', metadata: { labels: { 'k8s-app': 'aws-node' } }, spec: privileged });
    expect(runRules(snapshotOf([elsewhere]), rules, { exceptions: [defaults] }).findings.filter((f) => f.status === 'SUPPRESSED')).toEqual([]);
  });

  it('treats a binding as a component only if its subjects stay in the component namespace', () => {
    const binding = (namespace: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'aws-node' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'aws-node', namespace }],
    });
    const subject = (object: KubeObject) => ({ resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: String(object.metadata?.name) } });
    expect(defaults.componentOf(subject(binding('kube-system')), binding('kube-system'))?.id).toBe('aws-node');
    expect(defaults.componentOf(subject(binding('team-a')), binding('team-a'))).toBeUndefined();
  });

  it('lists every component with a reason', () => {
    expect(platformComponentIds).toEqual(expect.arrayContaining([
      'aws-node', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver', 'aws-efs-csi-driver', 'eks-pod-identity-agent', 'aws-load-balancer-controller', 'metrics-server',
    ]));
  });
});
