// Which service account a pod runs as, whether its token is mounted (the pod's word first, then the account's),
// and the IAM roles the account's pods get on EKS.
import { annotationsOf, boolField, namespaceOf, stringField, type PodTemplate, type SnapshotIndex } from '../engine/index.ts';
import type { KubeObject } from '../model/kube.ts';

/** `serviceAccountName`, else the deprecated `serviceAccount`, else `default`. */
export function serviceAccountOf(template: PodTemplate): string {
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const name = stringField(template.spec, field);
    if (name !== undefined && name.trim() !== '') return name.trim();
  }
  return 'default';
}

export type TokenMount = 'pod' | 'service-account' | 'default' | 'disabled';

/** Why the token is mounted (`pod` sets true, the `service-account` sets true, or neither says: `default`), or `disabled`. */
export function tokenMountOf(object: KubeObject, template: PodTemplate, snapshot: SnapshotIndex): TokenMount {
  const pod = boolField(template.spec, 'automountServiceAccountToken');
  if (pod !== undefined) return pod ? 'pod' : 'disabled';
  const account = snapshot.get('ServiceAccount', namespaceOf(object), serviceAccountOf(template));
  const fromAccount = account ? boolField(account, 'automountServiceAccountToken') : undefined;
  if (fromAccount === undefined) return 'default';
  return fromAccount ? 'service-account' : 'disabled';
}

/** IAM Roles for Service Accounts: the role the account's pods assume through the EKS OIDC provider. */
const irsaAnnotation = 'eks.amazonaws.com/role-arn';

export interface IamRole {
  roleArn: string;
  via: 'irsa' | 'pod-identity';
}

/** The IAM roles a service account's pods get: its IRSA annotation, then its EKS Pod Identity associations, in
 * that order (a role given both ways is listed twice). */
export function iamRolesOf(index: SnapshotIndex, namespace: string, name: string): IamRole[] {
  const account = index.get('ServiceAccount', namespace, name);
  const irsa = account ? annotationsOf(account)[irsaAnnotation] : undefined;
  return [
    ...(irsa ? [{ roleArn: irsa, via: 'irsa' as const }] : []),
    ...(index.clusterInfo?.podIdentityAssociations ?? [])
      .filter((association) => association.namespace === namespace && association.serviceAccount === name)
      .map((association) => ({ roleArn: association.roleArn, via: 'pod-identity' as const })),
  ];
}
