import { describe, expect, it } from 'vitest';
import { podTemplateOf } from '../../shared/engine/workload.ts';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import { iamRolesOf, serviceAccountOf, tokenMountOf } from '../../shared/facts/service-account.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';

const account = (name: string, extra: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'shop', annotations },
  ...extra,
});
const withSpec = (spec: Record<string, unknown>): KubeObject => deployment({ spec: hardenedPodSpec(spec) });
const templateOf = (object: KubeObject) => podTemplateOf(object)!;

describe('serviceAccountOf', () => {
  it('reads serviceAccountName, then the deprecated serviceAccount, else default', () => {
    expect(serviceAccountOf(templateOf(withSpec({ serviceAccountName: ' api ' })))).toBe('api');
    expect(serviceAccountOf(templateOf(withSpec({ serviceAccountName: ' ', serviceAccount: 'legacy' })))).toBe('legacy');
    expect(serviceAccountOf(templateOf(withSpec({ serviceAccountName: undefined })))).toBe('default');
  });
});

describe('tokenMountOf', () => {
  const index = (...objects: KubeObject[]) => new SnapshotIndex(snapshotOf(objects));
  const mount = (spec: Record<string, unknown>, ...objects: KubeObject[]) => {
    const workload = withSpec({ serviceAccountName: 'app', ...spec });
    return tokenMountOf(workload, templateOf(workload), index(workload, ...objects));
  };

  it("takes the pod's word first", () => {
    expect(mount({ automountServiceAccountToken: true }, account('app', { automountServiceAccountToken: false }))).toBe('pod');
    expect(mount({ automountServiceAccountToken: false }, account('app', { automountServiceAccountToken: true }))).toBe('disabled');
  });

  it("then the account's, else the Kubernetes default (mounted)", () => {
    expect(mount({ automountServiceAccountToken: undefined }, account('app', { automountServiceAccountToken: true }))).toBe('service-account');
    expect(mount({ automountServiceAccountToken: undefined }, account('app', { automountServiceAccountToken: false }))).toBe('disabled');
    expect(mount({ automountServiceAccountToken: undefined }, account('app'))).toBe('default');
    expect(mount({ automountServiceAccountToken: undefined })).toBe('default');
  });
});

describe('iamRolesOf', () => {
  const irsa = 'arn:aws:iam::111122223333:role/irsa';
  const podIdentity = 'arn:aws:iam::111122223333:role/pod-identity';
  const clusterInfo = {
    name: 'prod',
    podIdentityAssociations: [
      { namespace: 'shop', serviceAccount: 'app', roleArn: podIdentity },
      { namespace: 'shop', serviceAccount: 'other', roleArn: 'arn:aws:iam::111122223333:role/other' },
      { namespace: 'ops', serviceAccount: 'app', roleArn: 'arn:aws:iam::111122223333:role/ops' },
    ],
  };

  it('lists the IRSA annotation first, then the Pod Identity associations of that account', () => {
    const index = new SnapshotIndex(snapshotOf([account('app', {}, { 'eks.amazonaws.com/role-arn': irsa })], { clusterInfo }));
    expect(iamRolesOf(index, 'shop', 'app')).toEqual([
      { roleArn: irsa, via: 'irsa' },
      { roleArn: podIdentity, via: 'pod-identity' },
    ]);
  });

  it('finds none without an annotated account or an association', () => {
    expect(iamRolesOf(new SnapshotIndex(snapshotOf([account('app')])), 'shop', 'app')).toEqual([]);
    expect(iamRolesOf(new SnapshotIndex(snapshotOf([], { clusterInfo })), 'shop', 'nobody')).toEqual([]);
  });
});
