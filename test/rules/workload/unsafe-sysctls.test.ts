import rule from '../../../shared/rules/workload/unsafe-sysctls.ts';
import { cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const withSysctls = (sysctls: unknown) => hardenedPodSpec({ securityContext: { runAsNonRoot: true, sysctls } });
const safe = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'every safe sysctl up to v1.32', object: pod({ spec: withSysctls(safe.map((name) => ({ name, value: '1' }))) }) },
    {
      name: 'the v1.37 additions',
      object: pod({ spec: withSysctls([{ name: 'net.ipv4.tcp_slow_start_after_idle', value: '0' }, { name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }]) }),
    },
    { name: 'malformed sysctls do not throw', object: pod({ spec: withSysctls([null, 'kernel.msgmax', { value: '1' }]) }) },
    { name: 'sysctls not a list', object: pod({ spec: withSysctls({ name: 'kernel.msgmax' }) }) },
  ],
  invalid: [
    {
      name: 'unsafe sysctl in a deployment',
      object: deployment({ spec: withSysctls([{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '65536' }]) }),
      findings: [
        {
          messageId: 'sysctl',
          data: { sysctl: 'kernel.msgmax' },
          path: 'spec.template.spec.securityContext.sysctls[1].name',
          fix: { description: 'Remove sysctl kernel.msgmax', patch: [{ op: 'remove', path: '/spec/template/spec/securityContext/sysctls/1' }] },
        },
      ],
    },
    {
      name: 'several in a cronjob, including the slash notation the list does not use',
      object: cronJob({ spec: withSysctls([{ name: 'net.core.somaxconn', value: '1024' }, { name: 'net/ipv4/tcp_syncookies', value: '1' }]) }),
      findings: [
        { messageId: 'sysctl', data: { sysctl: 'net.core.somaxconn' }, path: 'spec.jobTemplate.spec.template.spec.securityContext.sysctls[0].name' },
        { messageId: 'sysctl', data: { sysctl: 'net/ipv4/tcp_syncookies' }, path: 'spec.jobTemplate.spec.template.spec.securityContext.sysctls[1].name' },
      ],
    },
    {
      name: 'vm sysctl in a pod',
      object: pod({ spec: withSysctls([{ name: 'vm.max_map_count', value: '262144' }]) }),
      findings: [{ messageId: 'sysctl', path: 'spec.securityContext.sysctls[0].name' }],
    },
  ],
});
