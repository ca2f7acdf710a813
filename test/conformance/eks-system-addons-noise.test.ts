// The workload rules beyond Pod Security Standards on real EKS add-ons (../shared/corpora/eks-system-addons):
// what must be detected there, and how many findings each rule gives (the noise a user sees on kube-system).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runRules } from '../../shared/engine/run.ts';
import type { Finding } from '../../shared/model/finding.ts';
import { isRecord, workloadKinds, type KubeObject } from '../../shared/model/kube.ts';
import secretEnvVar from '../../shared/rules/secrets/secret-env-var.ts';
import secretInEnv from '../../shared/rules/secrets/secret-in-env.ts';
import imageLatestTag from '../../shared/rules/supply-chain/image-latest-tag.ts';
import imageNotPinnedByDigest from '../../shared/rules/supply-chain/image-not-pinned-by-digest.ts';
import automountServiceAccountToken from '../../shared/rules/workload/automount-service-account-token.ts';
import dangerousCapabilities from '../../shared/rules/workload/dangerous-capabilities.ts';
import defaultNamespace from '../../shared/rules/workload/default-namespace.ts';
import defaultServiceAccount from '../../shared/rules/workload/default-service-account.ts';
import missingResourceLimits from '../../shared/rules/workload/missing-resource-limits.ts';
import missingResourceRequests from '../../shared/rules/workload/missing-resource-requests.ts';
import sensitiveHostPath from '../../shared/rules/workload/sensitive-host-path.ts';
import writableRootFilesystem from '../../shared/rules/workload/writable-root-filesystem.ts';
import { snapshotOf } from '../support/fixtures.ts';

const corpus = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpora', 'eks-system-addons');
const rules = [
  automountServiceAccountToken,
  dangerousCapabilities,
  defaultNamespace,
  defaultServiceAccount,
  imageLatestTag,
  imageNotPinnedByDigest,
  missingResourceLimits,
  missingResourceRequests,
  secretEnvVar,
  secretInEnv,
  sensitiveHostPath,
  writableRootFilesystem,
];
const ruleIds = rules.map((rule) => rule.id);

function objectsOf(file: string): KubeObject[] {
  const text = readFileSync(file, 'utf8');
  const documents = file.endsWith('.json') ? [JSON.parse(text) as unknown] : parseAllDocuments(text).map((d) => d.toJS() as unknown);
  return documents
    .flatMap((doc) => (isRecord(doc) && doc.kind === 'List' && Array.isArray(doc.items) ? doc.items : [doc]))
    .filter((doc): doc is KubeObject => isRecord(doc) && typeof doc.kind === 'string');
}

/** Findings of the rules per corpus file, each file scanned as its own set of manifests. */
function scan(): Map<string, Finding[]> {
  const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'expected.json')
    .sort();
  return new Map(files.map((f) => [f, runRules(snapshotOf(objectsOf(join(corpus, f))), rules).findings]));
}

const find = (findings: Finding[], ruleId: string, name: string, text: string): Finding | undefined =>
  findings.find((f) => f.ruleId === ruleId && f.resource.name === name && f.message.includes(text));

describe.skipIf(!existsSync(corpus))(`workload rules on EKS add-ons (${relative(process.cwd(), corpus)})`, () => {
  const results = existsSync(corpus) ? scan() : new Map<string, Finding[]>();
  const of = (file: string): Finding[] => results.get(file) ?? [];

  it('no rule fails on the corpus', () => {
    const errors = [...results.values()].flat().filter((f) => f.ruleId === 'engine-error');
    expect(errors.map((f) => f.message)).toEqual([]);
  });

  it('detects NET_ADMIN and NET_RAW on aws-node (VPC CNI)', () => {
    const findings = of('eksctl/pkg/addons/default/assets/aws-node.yaml');
    expect(find(findings, 'dangerous-capabilities', 'aws-node', 'NET_ADMIN')?.severity).toBe('high');
    expect(find(findings, 'dangerous-capabilities', 'aws-node', 'NET_RAW')?.severity).toBe('medium');
    expect(find(findings, 'sensitive-host-path', 'aws-node', '/opt/cni/bin')?.severity).toBe('high');
  });

  it('detects the docker and dockershim sockets of older aws-node as critical', () => {
    const findings = of('eksctl/pkg/addons/default/testdata/sample-1.16.json');
    expect(find(findings, 'sensitive-host-path', 'aws-node', '/var/run/docker.sock')?.severity).toBe('critical');
    expect(find(findings, 'sensitive-host-path', 'aws-node', '/var/run/dockershim.sock')?.severity).toBe('critical');
  });

  it("grades kube-proxy's host paths: writable /var/log high, read-only /lib/modules medium, the iptables lock low", () => {
    const findings = of('eksctl/pkg/addons/default/testdata/sample-1.25.json');
    expect(find(findings, 'sensitive-host-path', 'kube-proxy', '/var/log')?.severity).toBe('high');
    expect(find(findings, 'sensitive-host-path', 'kube-proxy', '/lib/modules')?.severity).toBe('medium');
    expect(find(findings, 'sensitive-host-path', 'kube-proxy', '/run/xtables.lock')?.severity).toBe('low');
  });

  it('detects the EBS CSI node plugin on /var/lib/kubelet and /dev', () => {
    const findings = of('aws-ebs-csi-driver/deploy/kubernetes/base/node.yaml');
    expect(find(findings, 'sensitive-host-path', 'ebs-csi-node', '/var/lib/kubelet ')?.severity).toBe('high');
    expect(find(findings, 'sensitive-host-path', 'ebs-csi-node', '/dev ')?.severity).toBe('high');
  });

  it('keeps coredns nearly clean: no dangerous capability, writable root or unpinned-tag alarm', () => {
    for (const version of ['1.23', '1.36']) {
      const ruleHits = of(`eksctl/pkg/addons/default/assets/coredns-${version}.json`).map((f) => f.ruleId);
      for (const id of ['dangerous-capabilities', 'writable-root-filesystem', 'image-latest-tag', 'secret-in-env', 'sensitive-host-path']) {
        expect(ruleHits).not.toContain(id);
      }
    }
  });

  it('counts findings per rule (noise budget)', () => {
    const counts = Object.fromEntries(ruleIds.map((id) => [id, 0]));
    for (const finding of [...results.values()].flat()) counts[finding.ruleId] = (counts[finding.ruleId] ?? 0) + 1;
    console.info('findings per rule on eks-system-addons:', counts);
    // No add-on carries a literal credential; the workloads the corpus records in namespace `default` (the Pod Identity
    // Agent's helm renderings name it explicitly) are exactly the default-namespace findings.
    expect(counts['secret-in-env']).toBe(0);
    const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as {
      fixtures: Record<string, { objects: { kind: string; namespace: string | null }[] }>;
    };
    const inDefault = Object.values(expected.fixtures)
      .flatMap((fixture) => fixture.objects)
      .filter((o) => (workloadKinds as readonly string[]).includes(o.kind) && o.namespace === 'default');
    expect(inDefault.length).toBeGreaterThan(0);
    expect(counts['default-namespace']).toBe(inDefault.length);
  });
});
