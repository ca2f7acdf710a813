import rule from '../../../shared/rules/identity/eks-aws-auth-system-masters.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const awsAuth = (data: Record<string, string>, namespace = 'kube-system'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace }, data });
const nodeRole = '- rolearn: arn:aws:iam::1:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n';

ruleTester.run(rule, {
  valid: [
    { name: 'node role mapping only', object: awsAuth({ mapRoles: nodeRole }) },
    { name: 'an aws-auth ConfigMap outside kube-system means nothing', object: awsAuth({ mapRoles: '- rolearn: arn:aws:iam::1:role/x\n  groups: [system:masters]\n' }, 'default') },
    { name: 'malformed YAML', object: awsAuth({ mapRoles: 'groups: [system:masters' }) },
  ],
  invalid: [
    {
      name: 'a role and a user mapped to system:masters',
      object: awsAuth({
        mapRoles: nodeRole + '- rolearn: arn:aws:iam::1:role/admin\n  username: admin\n  groups:\n    - system:masters\n',
        mapUsers: '- userarn: arn:aws:iam::1:user/bob\n  groups: [system:masters]\n',
      }),
      findings: [
        { messageId: 'masters', path: 'data.mapRoles', data: { principal: 'arn:aws:iam::1:role/admin', username: 'admin' } },
        { messageId: 'masters', path: 'data.mapUsers', data: { principal: 'arn:aws:iam::1:user/bob', username: 'arn:aws:iam::1:user/bob' } },
      ],
    },
  ],
});
