import rule from '../../../shared/rules/cluster/eks-addon-outdated.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

const withAddons = (addons: { name: string; version?: string; defaultVersion?: string }[]) => eksSnapshot(clusterInfo({}, { addons }));

ruleTester.run(rule, {
  valid: [
    { name: 'no add-ons listed', snapshot: eksSnapshot(clusterInfo()) },
    {
      name: 'add-ons at or ahead of the default',
      snapshot: withAddons([
        { name: 'vpc-cni', version: 'v1.19.2-eksbuild.1', defaultVersion: 'v1.19.2-eksbuild.1' },
        { name: 'coredns', version: 'v1.11.4-eksbuild.2', defaultVersion: 'v1.11.4-eksbuild.1' },
        { name: 'aws-ebs-csi-driver', version: 'v1.38.1-eksbuild.1' },
      ]),
    },
  ],
  invalid: [
    {
      name: 'kube-proxy and vpc-cni behind (minor and eksbuild)',
      snapshot: withAddons([
        { name: 'vpc-cni', version: 'v1.18.3-eksbuild.1', defaultVersion: 'v1.19.2-eksbuild.1' },
        { name: 'coredns', version: 'v1.11.4-eksbuild.2', defaultVersion: 'v1.11.4-eksbuild.2' },
        { name: 'kube-proxy', version: 'v1.33.0-eksbuild.1', defaultVersion: 'v1.33.0-eksbuild.2' },
      ]),
      findings: [
        {
          messageId: 'outdated',
          data: { addon: 'vpc-cni', cluster: 'prod', version: 'v1.18.3-eksbuild.1', defaultVersion: 'v1.19.2-eksbuild.1' },
          path: 'addons[0].version',
          resource: clusterResource,
        },
        { messageId: 'outdated', data: { addon: 'kube-proxy', cluster: 'prod', version: 'v1.33.0-eksbuild.1', defaultVersion: 'v1.33.0-eksbuild.2' }, path: 'addons[2].version', resource: clusterResource },
      ],
    },
  ],
});
