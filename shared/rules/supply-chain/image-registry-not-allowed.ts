// Images only from the registries an organisation trusts (CIS EKS 5.1.4): anything else is code nobody vetted.
// The list is the user's (option allowedRegistries); without it the rule does not run.
import * as z from 'zod';
import { containersOf, defineRule, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { parseImageReference, type ImageReference } from '../../facts/image-reference.ts';

const dockerHub = 'docker.io';
const dockerHubAliases = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `nginx` → docker.io/library/nginx, `bitnami/redis` → docker.io/bitnami/redis, hosts as written (lower case). */
export function normalizedImage(reference: ImageReference): { registry: string; repository: string } {
  const host = reference.registry?.toLowerCase();
  const registry = host === undefined || dockerHubAliases.has(host) ? dockerHub : host;
  const repository =
    registry === dockerHub && !reference.repository.includes('/') ? `library/${reference.repository}` : reference.repository;
  return { registry, repository };
}

function globSource(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
}

/** One allowed entry as a matcher over `registry/repository`: a host glob, optionally with a path prefix. */
export function registryMatcher(entry: string): RegExp {
  let pattern = entry.trim().replace(/\/\*+$/, '');
  const firstSlash = pattern.indexOf('/');
  const first = firstSlash === -1 ? pattern : pattern.slice(0, firstSlash);
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
  // A Docker Hub short name (`nginx`, `bitnami/redis`) is a repository on docker.io.
  if (!isHost) pattern = `${dockerHub}/${pattern.includes('/') ? pattern : `library/${pattern}`}`;
  const slash = pattern.indexOf('/');
  const host = slash === -1 ? pattern : pattern.slice(0, slash);
  const onDockerHub = dockerHubAliases.has(host.toLowerCase());
  const written = slash === -1 ? '' : pattern.slice(slash + 1);
  // `docker.io/nginx` is docker.io/library/nginx, as the runtime reads it.
  const path = onDockerHub && written !== '' && !written.includes('/') ? `library/${written}` : written;
  const hostSource = globSource(onDockerHub ? dockerHub : host.toLowerCase());
  // A path allows that repository and everything under it; a host alone allows the whole registry.
  return new RegExp(`^${hostSource}${path ? `/${globSource(path)}` : ''}(/.*)?$`);
}

const registryEntry = z
  .string()
  .trim()
  .min(1, 'an empty registry entry')
  .regex(/^[^\s@]+$/, 'a registry host or repository prefix (no spaces, no @digest)');

const options = z.strictObject({
  /** Registry host globs (`*.dkr.ecr.*.amazonaws.com`, `registry.k8s.io`), host/path prefixes (`public.ecr.aws/eks/*`)
   * and Docker Hub names (`nginx` = docker.io/library/nginx). */
  allowedRegistries: z.array(registryEntry).min(1, 'list at least one registry').default([]),
});

/** Compiled once per options list (the engine passes the same parsed options to every object of a run). */
const compiled = new WeakMap<readonly string[], RegExp[]>();
function matchersOf(allowed: readonly string[]): RegExp[] {
  let matchers = compiled.get(allowed);
  if (!matchers) {
    matchers = allowed.map(registryMatcher);
    compiled.set(allowed, matchers);
  }
  return matchers;
}

export default defineRule({
  id: 'image-registry-not-allowed',
  meta: {
    title: 'Image from a registry that is not approved',
    description:
      'A container image comes from a registry outside the approved list (option `allowedRegistries`: host globs such as `*.dkr.ecr.*.amazonaws.com`, prefixes such as `public.ecr.aws/eks/*`, Docker Hub names such as `nginx`). Images from unvetted registries bypass the scanning, signing and retention an organisation applies to its own. The rule runs only when the list is configured.',
    severity: 'medium',
    domain: 'supply-chain',
    targets: workloadKinds,
    requires: ['option:allowedRegistries'],
    options,
    frameworks: { 'owasp-k8s-2022': ['K02'], 'cis-eks-1.8': ['5.1.4'], 'nsa-cisa': ['image-security'] },
    remediation:
      'Mirror the image into an approved registry (an ECR pull-through cache rule does it for public registries) and reference it from there, or add its registry to allowedRegistries if it is trusted; enforce the list at admission (Kyverno, Gatekeeper, ValidatingAdmissionPolicy).',
    messages: {
      notAllowed: 'Container "{{container}}" uses image {{image}} from {{registry}}, which is not an approved registry.',
    },
  },
  check(object, ctx) {
    const matchers = matchersOf(ctx.options.allowedRegistries);
    for (const ref of containersOf(object)) {
      const image = stringField(ref.container, 'image');
      const reference = image === undefined ? undefined : parseImageReference(image);
      if (!reference) continue;
      const { registry, repository } = normalizedImage(reference);
      const name = `${registry}/${repository}`;
      if (matchers.some((matcher) => matcher.test(name))) continue;
      ctx.report({
        messageId: 'notAllowed',
        data: { container: ref.name, image: image!.trim(), registry },
        container: ref.name,
        path: `${ref.path}.image`,
        details: { registry, repository },
      });
    }
  },
});
