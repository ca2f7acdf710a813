import rule from '../../../shared/rules/cluster/node-external-ip.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { node } from './node-fixtures.ts';

ruleTester.run(rule, {
  valid: [{ name: 'private node', object: node('private') }],
  invalid: [
    {
      name: 'node in a public subnet',
      object: node('public', {
        addresses: [
          { type: 'InternalIP', address: '10.0.1.5' },
          { type: 'ExternalIP', address: '198.51.100.23' },
          { type: 'Hostname', address: 'ip-10-0-1-5.eu-west-1.compute.internal' },
        ],
      }),
      findings: [{ messageId: 'external', data: { node: 'public', address: '198.51.100.23' }, path: 'status.addresses[1]' }],
    },
  ],
});
