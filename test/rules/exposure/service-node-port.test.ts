import rule from '../../../shared/rules/exposure/service-node-port.ts';
import { deployment } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { service } from './exposure-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'ClusterIP', object: service('web') },
    { name: 'LoadBalancer is judged by service-load-balancer-public', object: service('web', { type: 'LoadBalancer' }) },
  ],
  invalid: [
    {
      name: 'NodePort in front of a deployment',
      object: service('web', { type: 'NodePort', spec: { ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } }),
      objects: [deployment()],
      findings: [{ messageId: 'nodePort', data: { service: 'web', ports: '30080', workloads: 'Deployment/web' }, path: 'spec.type', fix: null }],
    },
    {
      name: 'NodePort from a manifest (port not allocated yet)',
      object: service('web', { type: 'NodePort' }),
      findings: [{ messageId: 'nodePort', data: { service: 'web', ports: '(allocated at creation)', workloads: 'no workload in the snapshot' }, path: 'spec.type' }],
    },
  ],
});
