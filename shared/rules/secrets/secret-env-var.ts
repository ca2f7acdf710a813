// Secrets in environment variables leak through crash dumps, child processes and `/proc/<pid>/environ`; files do not.
import { arrayField, containersOf, defineRule, recordField, stringField } from '../../engine/index.ts';
import { isRecord, workloadKinds } from '../../model/kube.ts';

interface Use {
  path: string;
  variables: string[];
}

export default defineRule({
  id: 'secret-env-var',
  meta: {
    title: 'Secret passed as environment variables',
    description:
      'A container receives a Secret through environment variables; they are inherited by child processes, printed by debugging tools and crash reports, and cannot be rotated without a restart.',
    severity: 'low',
    domain: 'secrets',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K08'], 'cis-eks-1.8': ['4.4.1'], 'nsa-cisa': ['secrets'] },
    remediation:
      'Mount the Secret as a read-only volume and have the application read the file (many frameworks accept a `*_FILE` variable pointing to it).',
    messages: {
      fromEnv: 'Container "{{container}}" reads Secret "{{secret}}" through environment variables ({{variables}}).',
    },
  },
  check(object, ctx) {
    for (const ref of containersOf(object)) {
      const uses = new Map<string, Use>();
      const use = (secret: string, path: string, variable: string): void => {
        const found = uses.get(secret) ?? { path, variables: [] };
        found.variables.push(variable);
        uses.set(secret, found);
      };
      arrayField(ref.container, 'env').forEach((entry, index) => {
        const secret = stringField(recordField(recordField(entry, 'valueFrom'), 'secretKeyRef'), 'name');
        if (secret === undefined) return;
        const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name : `env[${index}]`;
        use(secret, `${ref.path}.env[${index}].valueFrom.secretKeyRef`, name);
      });
      arrayField(ref.container, 'envFrom').forEach((entry, index) => {
        const secret = stringField(recordField(entry, 'secretRef'), 'name');
        if (secret === undefined) return;
        const prefix = stringField(entry, 'prefix');
        use(secret, `${ref.path}.envFrom[${index}].secretRef`, prefix ? `every key, prefixed ${prefix}` : 'every key');
      });
      for (const [secret, { path, variables }] of uses) {
        ctx.report({
          messageId: 'fromEnv',
          data: { container: ref.name, secret, variables: variables.join(', ') },
          container: ref.name,
          key: `secret:${secret}`,
          path,
        });
      }
    }
  },
});
