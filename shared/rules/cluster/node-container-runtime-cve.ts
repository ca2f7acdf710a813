// Nodes whose container runtime has a known container-escape vulnerability (a small bundled advisory table).
import { defineRule, recordField } from '../../engine/index.ts';
import { nameOf } from '../../engine/snapshot-index.ts';
import { advisoriesFor, parseRuntimeVersion } from '../../facts/container-runtime-advisories.ts';

export default defineRule({
  id: 'node-container-runtime-cve',
  meta: {
    title: 'Container runtime with a known container-escape vulnerability',
    description:
      'The node reports a container runtime version affected by a published container-escape advisory (runc CVE-2024-21626 in containerd/Docker release builds, containerd CVE-2022-23648 and CVE-2020-15257, CRI-O CVE-2022-0811). A malicious image or pod can then take over the node.',
    severity: 'high',
    domain: 'cluster',
    targets: ['Node'],
    frameworks: { 'owasp-k8s-2022': ['K10'], 'nsa-cisa': ['upgrading'] },
    remediation:
      'Replace the node with a current AMI (managed node groups: `aws eks update-nodegroup-version`; Karpenter: drift to the latest AMI). Where runc is packaged separately, confirm `runc --version` on the node is at least 1.1.12.',
    messages: {
      vulnerable: 'Node "{{node}}" runs {{runtime}} {{version}}, affected by {{cve}} ({{summary}}){{caveat}}.',
    },
  },
  check(object, ctx) {
    const nodeInfo = recordField(recordField(object, 'status'), 'nodeInfo');
    const runtime = parseRuntimeVersion(nodeInfo?.containerRuntimeVersion);
    if (!runtime) return;
    for (const advisory of advisoriesFor(runtime)) {
      ctx.report({
        messageId: 'vulnerable',
        data: {
          node: nameOf(object),
          runtime: runtime.runtime,
          version: runtime.version,
          cve: advisory.id,
          summary: advisory.summary,
          caveat: advisory.viaBundledRunc ? '; unless runc was updated separately, check `runc --version` ≥ 1.1.12' : '',
        },
        path: 'status.nodeInfo.containerRuntimeVersion',
        key: advisory.id,
        details: { advisory: advisory.id, fixedIn: advisory.fixedIn, source: advisory.source },
      });
    }
  },
});
