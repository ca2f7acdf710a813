// The demo's third phase, the live change stream (issue 13): a person applies a privileged pod and execs into it; the
// API server's audit events reach the audit-events function as CloudWatch Logs delivers them (gzip + base64), which
// opens the exec finding and requests one debounced rescan; that scan opens the pod's findings with their cause.
import type { KubeObject } from '../../model/kube.ts';
import { alice, auditEvent, privilegedPod, subscriptionData } from './audit-log.ts';

export const liveChange = {
  namespace: 'ops',
  pod: 'debug-shell',
  configMap: 'feature-flags',
  person: alice.username,
} as const;

/** The rescan window the demo runs with: inside the scan's 30 s tolerance for early deliveries, so the demo delivers
 * the delayed request at once instead of waiting for it. */
export const demoRescanWindowSeconds = 20;

export interface LiveStep {
  /** What the person did, for the demo's output. */
  description: string;
  /** Objects to apply to the cluster (the emulator) before the batch is delivered. */
  objects: KubeObject[];
  /** The subscription payload (`awslogs.data`) CloudWatch Logs delivers for it. */
  data: string;
  events: number;
}

/** Two batches as the log group would deliver them: the apply, then the exec and a config change moments later. */
export function liveSteps(target: { clusterName: string; accountId: string }, now: Date): LiveStep[] {
  const { namespace, pod, configMap } = liveChange;
  const manifest = privilegedPod(namespace, pod) as unknown as KubeObject;
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const apply = [auditEvent({ verb: 'create', resource: 'pods', namespace, name: pod, requestObject: manifest, at: at(0) })];
  const exec = [
    auditEvent({ verb: 'create', resource: 'pods', namespace, name: pod, subresource: 'exec', at: at(2) }),
    auditEvent({ verb: 'patch', resource: 'configmaps', namespace, name: configMap, requestObject: { data: { 'new-checkout': 'true' } }, at: at(3) }),
  ];
  return [
    {
      description: `${alice.username}: kubectl apply -f debug-shell.yaml (a privileged pod mounting the node's root in ${namespace})`,
      objects: [manifest],
      data: subscriptionData(apply, { ...target, firstId: 1 }),
      events: apply.length,
    },
    {
      description: `${alice.username}: kubectl exec -it ${pod} -n ${namespace} -- sh, then kubectl patch configmap ${configMap}`,
      objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: configMap, namespace }, data: { 'new-checkout': 'true' } }],
      data: subscriptionData(exec, { ...target, firstId: 2 }),
      events: exec.length,
    },
  ];
}
