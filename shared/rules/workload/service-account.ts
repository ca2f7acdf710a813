// Which service account a pod runs as, and whether its token is mounted: the pod's word first, then the account's.
import { boolField, namespaceOf, stringField, type PodTemplate, type SnapshotIndex } from '../../engine/index.ts';
import type { KubeObject } from '../../model/kube.ts';

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
