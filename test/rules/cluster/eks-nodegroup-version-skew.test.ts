import rule from '../../../shared/rules/cluster/eks-nodegroup-version-skew.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

const withGroups = (version: string, groups: [string, string][]) =>
  eksSnapshot(clusterInfo({ version }, { nodeGroups: groups.map(([name, v]) => ({ name, version: v })) }));

ruleTester.run(rule, {
  valid: [
    { name: 'node groups on the control-plane version', snapshot: withGroups('1.33', [['a', '1.33'], ['b', '1.33']]) },
    { name: 'node group version unknown', snapshot: eksSnapshot(clusterInfo({}, { nodeGroups: [{ name: 'a' }] })) },
  ],
  invalid: [
    {
      name: 'one behind, one outside the supported skew, one newer than the control plane',
      snapshot: withGroups('1.33', [['ok', '1.33'], ['lagging', '1.31'], ['ancient', '1.29'], ['ahead', '1.34']]),
      findings: [
        { messageId: 'behind', data: { nodegroup: 'lagging', version: '1.31', controlPlane: '1.33', behind: 2 }, path: 'nodeGroups[1].version', resource: clusterResource },
        {
          messageId: 'unsupported',
          data: { nodegroup: 'ancient', version: '1.29', controlPlane: '1.33', max: 3 },
          path: 'nodeGroups[2].version',
          resource: clusterResource,
          severity: 'high',
        },
        { messageId: 'unsupported', data: { nodegroup: 'ahead', version: '1.34', controlPlane: '1.33', max: 3 }, path: 'nodeGroups[3].version', resource: clusterResource, severity: 'high' },
      ],
    },
    {
      name: 'before 1.28 the skew limit is two minors',
      snapshot: withGroups('1.27', [['old', '1.24']]),
      findings: [{ messageId: 'unsupported', data: { nodegroup: 'old', version: '1.24', controlPlane: '1.27', max: 2 }, path: 'nodeGroups[0].version', resource: clusterResource, severity: 'high' }],
    },
  ],
});
