import rule from '../../../shared/rules/rbac/rbac-workload-blast-radius.ts';
import { cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, roleBinding, rule as policyRule, sa, serviceAccount } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const mounted = hardenedPodSpec({ automountServiceAccountToken: true, serviceAccountName: 'web' });
const adminBinding = clusterRoleBinding('web-admin', 'cluster-admin', [sa('shop', 'web')]);
const secretReader = clusterRole('secret-reader', [policyRule([''], ['secrets'], ['get', 'list'])]);

ruleTester.run(rule, {
  valid: [
    { name: 'a service account without power', object: deployment({ spec: mounted }), objects: [serviceAccount('shop', 'web')] },
    { name: 'a cluster-admin account whose token is not mounted', object: deployment({ spec: hardenedPodSpec({ serviceAccountName: 'web' }) }), objects: [...bootstrapPolicy(), adminBinding] },
    { name: 'token off on the account, not the pod', object: deployment({ spec: hardenedPodSpec({ serviceAccountName: 'web', automountServiceAccountToken: undefined }) }), objects: [...bootstrapPolicy(), adminBinding, serviceAccount('shop', 'web', undefined, { automountServiceAccountToken: false })] },
    { name: 'only port-forward in the namespace (below medium)', object: deployment({ spec: mounted }), objects: [clusterRole('pf', [policyRule([''], ['pods/portforward'], ['create'])]), roleBinding('shop', 'pf', { kind: 'ClusterRole', name: 'pf' }, [sa('shop', 'web')])] },
    { name: 'a public grant is reported once by rbac-public-access, not per workload', object: deployment({ spec: mounted }), objects: [secretReader, clusterRoleBinding('everyone', 'secret-reader', [group('system:authenticated')])] },
  ],
  invalid: [
    {
      name: 'a compromise of Deployment web in shop yields cluster-admin',
      object: deployment({ spec: mounted }),
      objects: [...bootstrapPolicy(), adminBinding],
      findings: [
        {
          messageId: 'power',
          path: 'spec.template.spec.serviceAccountName',
          severity: 'critical',
          data: { kind: 'Deployment', name: 'web', namespace: 'shop', serviceAccount: 'web', power: 'do anything to any resource in the cluster (cluster-admin) cluster-wide' },
          fix: { description: 'Do not mount the service account token (if the workload does not call the Kubernetes API)', patch: [{ op: 'replace', path: '/spec/template/spec/automountServiceAccountToken', value: false }] },
        },
      ],
    },
    {
      name: 'the default account (no serviceAccountName), reading secrets through a namespace group',
      object: pod({ spec: { containers: [{ name: 'app', image: 'x' }] } }),
      objects: [secretReader, roleBinding('shop', 'all-sa', { kind: 'ClusterRole', name: 'secret-reader' }, [group('system:serviceaccounts:shop')])],
      findings: [
        {
          messageId: 'power',
          path: 'spec.serviceAccountName',
          severity: 'medium',
          data: { kind: 'Pod', name: 'web', namespace: 'shop', serviceAccount: 'default', power: 'read secrets in namespace shop' },
          fix: { description: 'Do not mount the service account token (if the workload does not call the Kubernetes API)', patch: [{ op: 'add', path: '/spec/automountServiceAccountToken', value: false }] },
        },
      ],
    },
    {
      name: 'IRSA role and secret read, token mounted through a projected volume',
      object: cronJob({ spec: hardenedPodSpec({ serviceAccountName: 'web', volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] }) }),
      objects: [secretReader, clusterRoleBinding('read', 'secret-reader', [sa('shop', 'web')]), serviceAccount('shop', 'web', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web' })],
      findings: [
        {
          messageId: 'powerAndIam',
          path: 'spec.jobTemplate.spec.template.spec.serviceAccountName',
          severity: 'high',
          data: { kind: 'CronJob', name: 'web', namespace: 'shop', serviceAccount: 'web', power: 'read secrets cluster-wide', roleArn: 'arn:aws:iam::111122223333:role/web' },
          fix: null,
        },
      ],
    },
    {
      name: 'an EKS Pod Identity role with no RBAC power and no token',
      object: deployment({ spec: hardenedPodSpec({ serviceAccountName: 'web' }) }),
      snapshot: { clusterInfo: { name: 'prod', podIdentityAssociations: [{ namespace: 'shop', serviceAccount: 'web', roleArn: 'arn:aws:iam::111122223333:role/s3-writer' }] } },
      findings: [
        {
          messageId: 'iam',
          path: 'spec.template.spec.serviceAccountName',
          severity: 'medium',
          data: { kind: 'Deployment', name: 'web', namespace: 'shop', serviceAccount: 'web', roleArn: 'arn:aws:iam::111122223333:role/s3-writer' },
          fix: null,
        },
      ],
    },
  ],
});
