// Capabilities that turn a container compromise into a node compromise, a network takeover or a kernel attack.
import { arrayField, containersOf, defineRule, fix, recordField, removeOp } from '../../engine/index.ts';
import type { Severity } from '../../model/finding.ts';
import { workloadKinds } from '../../model/kube.ts';

interface Danger {
  severity: Severity;
  risk: string;
}

const dangers: Readonly<Record<string, Danger>> = {
  ALL: { severity: 'critical', risk: 'every capability, as good as privileged' },
  SYS_ADMIN: { severity: 'critical', risk: 'mounts, namespaces and cgroups: the classic container escape' },
  SYS_MODULE: { severity: 'critical', risk: 'loads kernel modules into the node kernel' },
  SYS_PTRACE: { severity: 'high', risk: 'traces and injects code into other processes' },
  SYS_RAWIO: { severity: 'high', risk: 'raw access to I/O ports and device memory' },
  DAC_READ_SEARCH: { severity: 'high', risk: 'opens host files by handle, bypassing directory permissions' },
  BPF: { severity: 'high', risk: 'loads BPF programs into the kernel' },
  PERFMON: { severity: 'high', risk: 'kernel performance monitoring and BPF tracing of the node' },
  NET_ADMIN: { severity: 'high', risk: 'reconfigures interfaces, routes and firewall rules' },
  SYS_BOOT: { severity: 'high', risk: 'reboots the node or loads a new kernel' },
  MAC_ADMIN: { severity: 'high', risk: 'changes AppArmor/SELinux policy' },
  MAC_OVERRIDE: { severity: 'high', risk: 'bypasses AppArmor/SELinux policy' },
  NET_RAW: { severity: 'medium', risk: 'crafts raw packets to spoof or intercept traffic' },
  SYS_TIME: { severity: 'medium', risk: "sets the node's clock" },
  SYSLOG: { severity: 'medium', risk: 'reads the kernel log and kernel addresses' },
};

/** `cap_sys_admin` → `SYS_ADMIN`. */
function normalizeCapability(raw: string): string {
  return raw.trim().toUpperCase().replace(/^CAP_/, '');
}

export default defineRule({
  id: 'dangerous-capabilities',
  meta: {
    title: 'Dangerous capability added',
    description:
      'A container adds a Linux capability (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL...) that lets a compromised process escape to the node, take over its network or attack the kernel.',
    severity: 'high',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K01'], 'nsa-cisa': ['pod-security'] },
    remediation:
      'Remove the capability from `securityContext.capabilities.add` (drop ALL and add back only what the process needs, such as NET_BIND_SERVICE); move node-level work to a dedicated, reviewed agent.',
    messages: {
      added: 'Container "{{container}}" adds the {{capability}} capability: {{risk}}.',
    },
  },
  check(object, ctx) {
    for (const ref of containersOf(object)) {
      const addSegments = [...ref.segments, 'securityContext', 'capabilities', 'add'];
      const added = arrayField(recordField(recordField(ref.container, 'securityContext'), 'capabilities'), 'add');
      const indexesByCapability = new Map<string, number[]>();
      added.forEach((raw, index) => {
        if (typeof raw !== 'string') return;
        const capability = normalizeCapability(raw);
        if (!(capability in dangers)) return;
        indexesByCapability.set(capability, [...(indexesByCapability.get(capability) ?? []), index]);
      });
      for (const [capability, indexes] of indexesByCapability) {
        const danger = dangers[capability]!;
        ctx.report({
          messageId: 'added',
          data: { container: ref.name, capability, risk: danger.risk },
          container: ref.name,
          key: capability,
          severity: danger.severity,
          path: `${ref.path}.securityContext.capabilities.add[${indexes[0]}]`,
          // Every spelling of it (NET_ADMIN, CAP_NET_ADMIN...), last index first so earlier indexes stay valid.
          fix: fix(
            `Remove ${capability} from capabilities.add`,
            [...indexes].reverse().map((index) => removeOp([...addSegments, index])),
          ),
        });
      }
    }
  },
});
