import rule from '../../../shared/rules/workload/sensitive-host-path.ts';
import { container, cronJob, daemonSet, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;
const mounting = (mounts: Json[], overrides: Json = {}): Json => ({ ...hardened, volumeMounts: mounts, ...overrides });
const hostVolume = (name: string, path: unknown): Json => ({ name, hostPath: { path } });
const withVolume = (path: unknown, readOnly = false): Json =>
  hardenedPodSpec({ volumes: [hostVolume('host', path)], containers: [mounting([{ name: 'host', mountPath: '/host', readOnly }])] });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'an application data directory', object: daemonSet({ spec: withVolume('/opt/app-data') }) },
    { name: 'a sibling that only shares a prefix (/etcetera)', object: pod({ spec: withVolume('/etcetera') }) },
    { name: 'a sibling of the kubelet directory (/var/lib/kubelet-extra)', object: pod({ spec: withVolume('/var/lib/kubelet-extra') }) },
    { name: 'a Windows CSI proxy pipe', object: daemonSet({ spec: withVolume('\\\\.\\pipe\\csi-proxy-disk-v1') }) },
    { name: 'a path that is a number does not throw', object: pod({ spec: withVolume(42) }) },
    { name: 'an empty path is ignored', object: pod({ spec: withVolume('  ') }) },
    { name: 'malformed volumes do not throw', object: pod({ spec: hardenedPodSpec({ volumes: { host: '/' } }) }) },
    { name: 'malformed volume entries and mounts do not throw', object: pod({ spec: hardenedPodSpec({ volumes: [null, 'x', { hostPath: 'x' }], containers: [mounting([null, 3] as unknown as Json[])] }) }) },
  ],
  invalid: [
    {
      name: 'docker socket mounted read-only is still critical',
      object: deployment({ spec: withVolume('/var/run/docker.sock', true) }),
      findings: [
        {
          messageId: 'sensitive',
          severity: 'critical',
          data: { volume: 'host', hostPath: '/var/run/docker.sock', what: 'a container runtime socket: control of every container on the node', mounts: 'mounted by "app" (read-only)' },
          path: 'spec.template.spec.volumes[0].hostPath.path',
          fix: null,
        },
      ],
    },
    {
      name: 'containerd socket under /run in a cronjob',
      object: cronJob({ spec: withVolume('/run/containerd/containerd.sock') }),
      findings: [{ messageId: 'sensitive', severity: 'critical', path: 'spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path' }],
    },
    {
      name: 'crio and dockershim sockets, and a socket in a non-standard place',
      object: daemonSet({
        spec: hardenedPodSpec({
          volumes: [hostVolume('crio', '/var/run/crio/crio.sock'), hostVolume('shim', '/var/run/dockershim.sock'), hostVolume('snap', '/var/snap/docker/common/run/docker.sock')],
        }),
      }),
      findings: [
        { messageId: 'sensitive', severity: 'critical', path: 'spec.template.spec.volumes[0].hostPath.path' },
        { messageId: 'sensitive', severity: 'critical', path: 'spec.template.spec.volumes[1].hostPath.path' },
        { messageId: 'sensitive', severity: 'critical', path: 'spec.template.spec.volumes[2].hostPath.path' },
      ],
    },
    {
      name: 'the directory holding the runtime socket, written with a trailing slash',
      object: pod({ spec: withVolume('/var/run/') }),
      findings: [
        {
          messageId: 'sensitive',
          severity: 'critical',
          data: { volume: 'host', hostPath: '/var/run/', what: 'a directory holding the container runtime socket', mounts: 'mounted by "app" (read-write)' },
          path: 'spec.volumes[0].hostPath.path',
        },
      ],
    },
    {
      name: 'the root file system spelled with dot-dots and extra slashes',
      object: pod({ spec: withVolume('//etc/../', true) }),
      findings: [{ messageId: 'sensitive', severity: 'critical', data: { volume: 'host', hostPath: '//etc/../', what: "the node's whole file system", mounts: 'mounted by "app" (read-only)' }, path: 'spec.volumes[0].hostPath.path' }],
    },
    {
      name: 'a sub-path of /etc stays high when read-only',
      object: deployment({ spec: withVolume('/etc/kubernetes/', true) }),
      findings: [{ messageId: 'sensitive', severity: 'high', data: { volume: 'host', hostPath: '/etc/kubernetes/', what: 'node configuration and credentials', mounts: 'mounted by "app" (read-only)' }, path: 'spec.template.spec.volumes[0].hostPath.path' }],
    },
    {
      name: 'kubelet pod directory through a dot-dot',
      object: deployment({ spec: withVolume('/var/lib/kubelet/plugins/../pods') }),
      findings: [{ messageId: 'sensitive', severity: 'high', path: 'spec.template.spec.volumes[0].hostPath.path' }],
    },
    {
      name: '/var/log read-only by every container is medium',
      object: daemonSet({
        spec: hardenedPodSpec({
          volumes: [hostVolume('logs', '/var/log')],
          initContainers: [mounting([{ name: 'logs', mountPath: '/logs', readOnly: true }], { name: 'init' })],
          containers: [mounting([{ name: 'logs', mountPath: '/logs', readOnly: true }])],
        }),
      }),
      findings: [
        {
          messageId: 'sensitive',
          severity: 'medium',
          data: { volume: 'logs', hostPath: '/var/log', what: 'node logs; a writable /var/log lets a pod read host files through the kubelet log endpoint', mounts: 'mounted by "init" (read-only), "app" (read-only)' },
          path: 'spec.template.spec.volumes[0].hostPath.path',
        },
      ],
    },
    {
      name: '/var/log written by an ephemeral container is high',
      object: pod({
        spec: hardenedPodSpec({
          volumes: [hostVolume('logs', '/var/log')],
          containers: [mounting([{ name: 'logs', mountPath: '/logs', readOnly: true }])],
          ephemeralContainers: [container({ name: 'debug', volumeMounts: [{ name: 'logs', mountPath: '/logs' }] })],
        }),
      }),
      findings: [{ messageId: 'sensitive', severity: 'high', data: { volume: 'logs', hostPath: '/var/log', what: 'node logs; a writable /var/log lets a pod read host files through the kubelet log endpoint', mounts: 'mounted by "app" (read-only), "debug" (read-write)' }, path: 'spec.volumes[0].hostPath.path' }],
    },
    {
      name: "an agent's own log directory under /var/log is medium",
      object: daemonSet({ spec: withVolume('/var/log/aws-routed-eni') }),
      findings: [{ messageId: 'sensitive', severity: 'medium', data: { volume: 'host', hostPath: '/var/log/aws-routed-eni', what: 'a directory under /var/log', mounts: 'mounted by "app" (read-write)' }, path: 'spec.template.spec.volumes[0].hostPath.path' }],
    },
    {
      name: 'a parent of sensitive directories (/var), mounted by no container',
      object: deployment({ spec: hardenedPodSpec({ volumes: [hostVolume('var', '/var')] }) }),
      findings: [
        {
          messageId: 'sensitive',
          severity: 'high',
          data: { volume: 'var', hostPath: '/var', what: "a parent of /var/lib/kubelet, kubelet credentials and every pod's volumes and secrets", mounts: 'no container mounts it yet' },
          path: 'spec.template.spec.volumes[0].hostPath.path',
        },
      ],
    },
    {
      name: 'the iptables lock is low, an unnamed /proc volume is high',
      object: daemonSet({ spec: hardenedPodSpec({ volumes: [hostVolume('xtables-lock', '/run/xtables.lock'), { hostPath: { path: '/proc' } }] }) }),
      findings: [
        { messageId: 'sensitive', severity: 'low', path: 'spec.template.spec.volumes[0].hostPath.path' },
        { messageId: 'sensitive', severity: 'high', data: { volume: 'volumes[1]', hostPath: '/proc', what: 'host processes and kernel tunables', mounts: 'no container mounts it yet' }, path: 'spec.template.spec.volumes[1].hostPath.path' },
      ],
    },
    {
      name: 'Windows: the docker named pipe and the kubelet directory',
      object: daemonSet({ spec: hardenedPodSpec({ volumes: [hostVolume('pipe', '\\\\.\\pipe\\docker_engine'), hostVolume('kubelet', 'C:\\var\\lib\\kubelet')] }) }),
      findings: [
        { messageId: 'sensitive', severity: 'critical', path: 'spec.template.spec.volumes[0].hostPath.path' },
        { messageId: 'sensitive', severity: 'high', path: 'spec.template.spec.volumes[1].hostPath.path' },
      ],
    },
  ],
});
