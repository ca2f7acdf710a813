// `:latest` (or no tag at all) means the code that runs changes without any change to the workload.
import { containersOf, defineRule, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { isPinned, parseImageReference } from '../../facts/image-reference.ts';

export default defineRule({
  id: 'image-latest-tag',
  meta: {
    title: 'Image uses the latest tag',
    description:
      'A container image has no tag or the `latest` tag: what runs depends on when a node pulled it, rollbacks are impossible, and a poisoned push reaches production unreviewed.',
    severity: 'medium',
    domain: 'supply-chain',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K02'] },
    remediation: 'Reference an immutable version tag, ideally pinned by digest (`registry/app:1.4.2@sha256:...`).',
    messages: {
      untagged: 'Container "{{container}}" uses image {{image}} without a tag, which means :latest.',
      latest: 'Container "{{container}}" uses image {{image}} with the mutable :latest tag.',
    },
  },
  check(object, ctx) {
    for (const ref of containersOf(object)) {
      const image = stringField(ref.container, 'image');
      const reference = image === undefined ? undefined : parseImageReference(image);
      // A digest wins over any tag: the runtime pulls exactly that image.
      if (!reference || isPinned(reference)) continue;
      if (reference.tag !== undefined && reference.tag !== 'latest') continue;
      ctx.report({
        messageId: reference.tag === undefined ? 'untagged' : 'latest',
        data: { container: ref.name, image: image!.trim() },
        container: ref.name,
        path: `${ref.path}.image`,
      });
    }
  },
});
