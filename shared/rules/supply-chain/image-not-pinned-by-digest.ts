// A tag can be moved to other content; only a digest names the exact image that was reviewed and scanned.
import { containersOf, defineRule, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { isPinned, parseImageReference } from '../../facts/image-reference.ts';

export default defineRule({
  id: 'image-not-pinned-by-digest',
  meta: {
    title: 'Image not pinned by digest',
    description:
      'A container image is referenced by a version tag only; tags are mutable, so the image that runs may differ from the one that was scanned and approved.',
    severity: 'low',
    domain: 'supply-chain',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K02'] },
    remediation:
      'Append the digest of the approved image (`registry/app:1.4.2@sha256:...`), e.g. from `crane digest` or your CI, and let a bot such as Renovate update it.',
    messages: {
      tagOnly: 'Container "{{container}}" uses image {{image}} by tag, not by digest.',
    },
  },
  check(object, ctx) {
    for (const ref of containersOf(object)) {
      const image = stringField(ref.container, 'image');
      const reference = image === undefined ? undefined : parseImageReference(image);
      // Untagged and :latest images are image-latest-tag's, one finding is enough.
      if (!reference || isPinned(reference) || reference.tag === undefined || reference.tag === 'latest') continue;
      ctx.report({
        messageId: 'tagOnly',
        data: { container: ref.name, image: image!.trim() },
        container: ref.name,
        path: `${ref.path}.image`,
      });
    }
  },
});
