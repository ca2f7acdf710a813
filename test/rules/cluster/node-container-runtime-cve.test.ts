import rule from '../../../shared/rules/cluster/node-container-runtime-cve.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { node } from './node-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'containerd 1.7.27', object: node('a', { runtime: 'containerd://1.7.27' }) },
    { name: 'containerd 2.0 (a later line than every fix)', object: node('b', { runtime: 'containerd://2.0.5' }) },
    { name: 'CRI-O 1.18 predates cr8escape', object: node('c', { runtime: 'cri-o://1.18.4' }) },
    { name: 'CRI-O 1.23.2 has the fix', object: node('d', { runtime: 'cri-o://1.23.2' }) },
    { name: 'an unparseable runtime version', object: node('e', { runtime: 'remote' }) },
  ],
  invalid: [
    {
      name: 'containerd 1.7.11 bundles runc 1.1.11 (Leaky Vessels)',
      object: node('old', { runtime: 'containerd://1.7.11' }),
      findings: [{ messageId: 'vulnerable', path: 'status.nodeInfo.containerRuntimeVersion' }],
    },
    {
      name: 'containerd 1.4.2: three advisories',
      object: node('older', { runtime: 'containerd://1.4.2' }),
      findings: [
        { messageId: 'vulnerable', path: 'status.nodeInfo.containerRuntimeVersion' },
        { messageId: 'vulnerable', path: 'status.nodeInfo.containerRuntimeVersion' },
        { messageId: 'vulnerable', path: 'status.nodeInfo.containerRuntimeVersion' },
      ],
    },
    {
      name: 'CRI-O 1.22.1 (cr8escape)',
      object: node('crio', { runtime: 'cri-o://1.22.1' }),
      findings: [
        {
          messageId: 'vulnerable',
          data: {
            node: 'crio',
            runtime: 'cri-o',
            version: '1.22.1',
            cve: 'CVE-2022-0811',
            summary: '"cr8escape": kernel parameters set through pod sysctls give root on the node',
            caveat: '',
          },
          path: 'status.nodeInfo.containerRuntimeVersion',
        },
      ],
    },
  ],
});
