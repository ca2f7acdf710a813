// Pods whose controller is not in the snapshot: one created between two lists during a rollout (its new
// ReplicaSet came after the ReplicaSets were listed), or one whose owner's kind is not listed (an Argo Rollout, a
// custom operator). Judged one by one they would give one finding per replica, under pod names that change with
// every rollout, and resolve on the next scan once the owner is listed: noise for Slack and Jira. Instead the first
// pod of each owner stands for all of them, and its findings are reported on the owner, or on the ReplicaSet's
// Deployment when the ReplicaSet's name is `<deployment>-<pod-template-hash>`: the resource the next scan judges.
import type { KubeObject, ObjectRef } from '../model/kube.ts';
import { labelsOf, namespaceOf, ownerReferencesOf, type SnapshotIndex } from './snapshot-index.ts';

/** Owners that do not run pods from a template of their own: a mirror pod's Node says nothing about its spec. */
const notControllers: ReadonlySet<string> = new Set(['Node']);
const TEMPLATE_HASH = 'pod-template-hash';

export class OrphanedPods {
  readonly #index: SnapshotIndex;
  readonly #owners = new WeakMap<KubeObject, ObjectRef | null>();

  constructor(index: SnapshotIndex) {
    this.#index = index;
  }

  /** The objects rules should run on: every object but the second and later pods of one missing owner, and the
   * pods whose stand-in is in the snapshot after all (the Deployment of a ReplicaSet not yet listed), which are
   * judged through it. */
  onePerOwner(objects: readonly KubeObject[]): KubeObject[] {
    const seen = new Set<string>();
    return objects.filter((object) => {
      const owner = this.ownerRefOf(object);
      if (!owner) return true;
      if (this.#index.get(owner.kind, owner.namespace, owner.name)) return false;
      const key = `${owner.kind}/${owner.namespace ?? ''}/${owner.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** What findings about `object` are reported on when it is a pod whose controller is missing; otherwise undefined. */
  ownerRefOf(object: KubeObject): ObjectRef | undefined {
    if (object.kind !== 'Pod') return undefined;
    const known = this.#owners.get(object);
    if (known !== undefined) return known ?? undefined;
    const owner = this.#missingOwner(object);
    this.#owners.set(object, owner ?? null);
    return owner;
  }

  #missingOwner(pod: KubeObject): ObjectRef | undefined {
    const namespace = namespaceOf(pod);
    if (!namespace || this.#index.ownerOf(pod)) return undefined;
    const controller = ownerReferencesOf(pod).find((owner) => owner.controller === true);
    if (!controller || typeof controller.kind !== 'string' || typeof controller.name !== 'string' || !controller.name) return undefined;
    if (notControllers.has(controller.kind)) return undefined;
    // An owner of that name is listed, with another uid: the pod outlived a previous one and is judged as itself.
    if (this.#index.get(controller.kind, namespace, controller.name)) return undefined;
    const hash = labelsOf(pod)[TEMPLATE_HASH];
    if (controller.kind === 'ReplicaSet' && hash && controller.name.endsWith(`-${hash}`) && controller.name.length > hash.length + 1) {
      return { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: controller.name.slice(0, -(hash.length + 1)) };
    }
    return { apiVersion: typeof controller.apiVersion === 'string' ? controller.apiVersion : '', kind: controller.kind, namespace, name: controller.name };
  }
}
