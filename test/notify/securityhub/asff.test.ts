import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../shared/model/finding.ts';
import type { RuleInfo } from '../../../shared/notify/digest.ts';
import {
  asffLimits,
  chunksOf,
  defaultProductArn,
  findingTypesOf,
  parseDefaultProductArn,
  relatedRequirementsOf,
  toAsff,
  truncate,
} from '../../../shared/notify/securityhub/asff.ts';
import { asffProblems } from '../../support/securityhub-receiver.ts';
import { finding, prod, testCatalogue } from '../support.ts';

const product = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };
const cluster = { id: prod.id, name: prod.name, arn: prod.arn!, accountId: prod.accountId!, region: prod.region! };
const rule = testCatalogue('privileged-container')!;

describe('toAsff', () => {
  const f = finding({ ruleId: 'privileged-container', namespace: 'shop', name: 'web', container: 'app' });
  const asff = toAsff({ finding: f, cluster, rule, product, scanId: 'scan-1', ruleUrl: 'https://docs.example/rules.md#privileged-container' });

  it('is a valid ASFF finding of the default product, identified by the fingerprint', () => {
    expect(asffProblems(asff, product.accountId)).toEqual([]);
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: f.fingerprint,
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      GeneratorId: 'privileged-container',
      AwsAccountId: '111122223333',
      CreatedAt: f.firstSeenAt,
      UpdatedAt: f.lastSeenAt,
      FirstObservedAt: f.firstSeenAt,
      LastObservedAt: f.lastSeenAt,
      Severity: { Label: 'CRITICAL', Original: 'critical' },
      FindingProviderFields: { Severity: { Label: 'CRITICAL' } },
      Title: 'Privileged container: Deployment shop/web in prod',
      Description: f.message,
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
  });

  it('names the EKS cluster by ARN and the Kubernetes object in Details.Other', () => {
    expect(asff.Resources).toEqual([
      { Type: 'AwsEksCluster', Id: cluster.arn, Partition: 'aws', Region: 'eu-west-1', Details: { AwsEksCluster: { Arn: cluster.arn, Name: 'prod' } } },
      {
        Type: 'Other',
        Id: `${cluster.arn}/shop/Deployment/web/app`,
        Partition: 'aws',
        Region: 'eu-west-1',
        Details: { Other: { cluster: 'prod', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', container: 'app', path: f.path } },
      },
    ]);
  });

  it('carries the compliance requirements, types and remediation with the rule link', () => {
    expect(asff.Compliance).toEqual({
      Status: 'FAILED',
      RelatedRequirements: ['OWASP Kubernetes Top 10 (2022) K01', 'CIS Amazon EKS Benchmark v1.8.0 4.2.1', 'Kubernetes Pod Security Standards (latest) baseline/privileged'],
    });
    expect(asff.Types).toEqual([
      'Software and Configuration Checks/Kubernetes/workload',
      'Software and Configuration Checks/Industry and Regulatory Standards/OWASP Kubernetes Top 10',
      'Software and Configuration Checks/Industry and Regulatory Standards/CIS Amazon EKS Benchmark',
      'Software and Configuration Checks/Industry and Regulatory Standards/Kubernetes Pod Security Standards',
    ]);
    expect(asff.Remediation?.Recommendation).toEqual({
      Text: `${f.fix!.description}. ${rule.remediation}`,
      Url: 'https://docs.example/rules.md#privileged-container',
    });
    expect(asff.ProductFields).toMatchObject({ 'periscope/fingerprint': f.fingerprint, 'periscope/scanId': 'scan-1', 'periscope/status': 'OPEN' });
  });

  it.each([
    ['critical', 'CRITICAL'],
    ['high', 'HIGH'],
    ['medium', 'MEDIUM'],
    ['low', 'LOW'],
    ['info', 'INFORMATIONAL'],
  ] as [Severity, string][])('maps severity %s to %s', (severity, label) => {
    expect(toAsff({ finding: finding({ severity }), cluster, rule, product }).Severity?.Label).toBe(label);
  });

  it.each([
    ['OPEN', 'FAILED', 'ACTIVE', 'NEW'],
    ['SUPPRESSED', 'FAILED', 'ACTIVE', 'SUPPRESSED'],
    ['RESOLVED', 'PASSED', 'ARCHIVED', 'RESOLVED'],
  ] as [Finding['status'], string, string, string][])('a %s finding is Compliance %s, %s, workflow %s', (status, compliance, record, workflow) => {
    const resolved: Finding = { ...finding({ status }), ...(status === 'RESOLVED' ? { resolvedAt: '2026-11-24T08:00:00.000Z' } : {}) };
    const out = toAsff({ finding: resolved, cluster, rule, product });
    expect(out.Compliance?.Status).toBe(compliance);
    expect(out.RecordState).toBe(record);
    expect(out.Workflow?.Status).toBe(workflow);
    expect(out.UpdatedAt).toBe(status === 'RESOLVED' ? '2026-11-24T08:00:00.000Z' : resolved.lastSeenAt);
  });

  it('leaves out the link and requirements it does not have, and keeps a cluster without an ARN as Other', () => {
    const bare = toAsff({ finding: { ...finding(), frameworks: {} }, cluster: { id: 'kubeconfig:dev', name: 'dev' }, rule, product });
    expect(asffProblems(bare, product.accountId)).toEqual([]);
    expect(bare.Compliance).toEqual({ Status: 'FAILED' });
    expect(bare.Remediation?.Recommendation?.Url).toBeUndefined();
    expect(bare.Resources?.[0]).toMatchObject({ Type: 'Other', Id: 'kubeconfig:dev', Region: 'eu-west-1' });
  });
});

/** Text that stresses limits: long, with astral characters where a cut could split a surrogate pair. */
const text = (max: number) => fc.string({ unit: fc.constantFrom('a', 'é', '😀', ' ', '/', '"'), minLength: 1, maxLength: max, size: 'max' });

describe('toAsff within the ASFF limits (property)', () => {
  it('any finding, rule and cluster give a finding the API accepts', () => {
    fc.assert(
      fc.property(
        fc.record({
          message: text(3000),
          name: text(600),
          namespace: text(600),
          container: text(600),
          kind: text(300),
          path: text(2000),
          title: text(400),
          remediation: text(1200),
          fix: text(800),
          clusterName: text(300),
          frameworks: fc.dictionary(fc.constantFrom('owasp-k8s-2022', 'cis-eks-1.8', 'pss', 'nsa-cisa', 'mitre'), fc.array(text(40), { maxLength: 20 })),
          suppression: text(3000),
        }),
        (v) => {
          const base = finding({ name: v.name, namespace: v.namespace, container: v.container, kind: v.kind });
          const f: Finding = {
            ...base,
            message: v.message,
            path: v.path,
            frameworks: v.frameworks,
            fix: { description: v.fix, patch: [] },
            status: 'SUPPRESSED',
            suppression: { reason: v.suppression, source: 'exceptions-file', owner: v.suppression },
          };
          const info: RuleInfo = { ...rule, title: v.title, remediation: v.remediation };
          const out = toAsff({ finding: f, cluster: { ...cluster, name: v.clusterName }, rule: info, product, ruleUrl: 'https://docs.example/rules.md#x' });
          expect(asffProblems(out, product.accountId)).toEqual([]);
          expect(out.Id).toBe(f.fingerprint);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('truncate never exceeds the limit nor splits a surrogate pair, and keeps short text as it is', () => {
    fc.assert(
      fc.property(text(400), fc.integer({ min: 2, max: 300 }), (value, max) => {
        const out = truncate(value, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        if (value.length <= max) expect(out).toBe(value);
        else expect(out.endsWith('…')).toBe(true);
      }),
    );
  });

  it('distinct objects whose ids are too long keep distinct resource ids', () => {
    const long = 'x'.repeat(600);
    const a = toAsff({ finding: finding({ name: `${long}a` }), cluster, rule, product }).Resources![1]!.Id!;
    const b = toAsff({ finding: finding({ name: `${long}b` }), cluster, rule, product }).Resources![1]!.Id!;
    expect(a.length).toBeLessThanOrEqual(asffLimits.resourceId);
    expect(a).not.toBe(b);
  });
});

describe('helpers', () => {
  it('the default product ARN round-trips, and a wrong one says what it should be', () => {
    const arn = defaultProductArn({ partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '123456789012' });
    expect(arn).toBe('arn:aws-us-gov:securityhub:us-gov-west-1:123456789012:product/123456789012/default');
    expect(parseDefaultProductArn(arn)).toEqual({ partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '123456789012' });
    expect(() => parseDefaultProductArn('arn:aws:securityhub:eu-west-1:111122223333:product/999999999999/default')).toThrow(/default product ARN/);
  });

  it('caps related requirements at 32 and types at what the frameworks name', () => {
    const many = { 'cis-eks-1.8': Array.from({ length: 40 }, (_, i) => `5.${i}`) };
    expect(relatedRequirementsOf(many)).toHaveLength(32);
    expect(findingTypesOf({ domain: 'rbac' }, { mitre: ['T1'] })).toEqual(['Software and Configuration Checks/Kubernetes/rbac']);
  });

  it('chunks into slices of at most the size, in order', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 100)).toEqual([]);
  });
});
