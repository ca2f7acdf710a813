// Audit events of the shape the EKS control plane writes (`audit.k8s.io/v1`, RequestResponse and Metadata levels, the
// IAM authenticator's user extras), and the CloudWatch Logs subscription payload they reach Lambda in (base64 of gzip
// of JSON): what the demo's third phase, the audit-events tests and the bench feed the pipeline.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface AuditEventSpec {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  apiGroup?: string;
  apiVersion?: string;
  username?: string;
  groups?: string[];
  userAgent?: string;
  sourceIPs?: string[];
  stage?: 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete';
  level?: 'Metadata' | 'Request' | 'RequestResponse';
  code?: number;
  decision?: 'allow' | 'forbid';
  /** The request body (RequestResponse level): it can hold secret values, which must never reach a log. */
  requestObject?: unknown;
  at?: Date;
  auditID?: string;
}

/** An IAM-authenticated person, as EKS's authenticator names them. */
export const alice = {
  username: 'alice@example.com',
  groups: ['system:authenticated'],
  userAgent: 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0',
  sourceIPs: ['203.0.113.7'],
};

function pathOf(spec: AuditEventSpec): string {
  const group = spec.apiGroup ? `/apis/${spec.apiGroup}/${spec.apiVersion ?? 'v1'}` : `/api/${spec.apiVersion ?? 'v1'}`;
  const ns = spec.namespace ? `/namespaces/${spec.namespace}` : '';
  const name = spec.name && spec.verb !== 'create' ? `/${spec.name}` : spec.subresource && spec.name ? `/${spec.name}` : '';
  return `${group}${ns}/${spec.resource}${name}${spec.subresource ? `/${spec.subresource}` : ''}`;
}

export function auditEvent(spec: AuditEventSpec): Record<string, unknown> {
  const at = spec.at ?? new Date();
  const done = new Date(at.getTime() + 27);
  const username = spec.username ?? alice.username;
  const human = !username.startsWith('system:');
  const level = spec.level ?? (spec.requestObject ? 'RequestResponse' : 'Metadata');
  const code = spec.code ?? (spec.subresource === 'exec' ? 101 : spec.verb === 'create' ? 201 : 200);
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level,
    auditID: spec.auditID ?? randomUUID(),
    stage: spec.stage ?? (spec.subresource === 'exec' ? 'ResponseStarted' : 'ResponseComplete'),
    requestURI: `${pathOf(spec)}${spec.verb === 'create' || spec.verb === 'patch' ? '?fieldManager=kubectl-client-side-apply&fieldValidation=Strict' : ''}`,
    verb: spec.verb,
    user: {
      username,
      ...(human
        ? {
            uid: 'aws-iam-authenticator:111122223333:AROAEXAMPLEPERSON01',
            extra: {
              accessKeyId: ['ASIAEXAMPLEKEYID0001'],
              arn: [`arn:aws:sts::111122223333:assumed-role/PlatformAdmin/${username}`],
              canonicalArn: ['arn:aws:iam::111122223333:role/PlatformAdmin'],
              principalId: ['AROAEXAMPLEPERSON01'],
              sessionName: [username],
              'sigs.k8s.io/aws-iam-authenticator/principalId': ['AROAEXAMPLEPERSON01'],
            },
          }
        : {}),
      groups: spec.groups ?? (human ? alice.groups : ['system:serviceaccounts', 'system:authenticated']),
    },
    sourceIPs: spec.sourceIPs ?? (human ? alice.sourceIPs : ['10.0.12.34']),
    userAgent: spec.userAgent ?? (human ? alice.userAgent : 'kube-controller-manager/v1.33.1 (linux/arm64) kubernetes/8adc0f0/system:serviceaccount:kube-system:replicaset-controller'),
    objectRef: {
      resource: spec.resource,
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
      ...(spec.name ? { name: spec.name } : {}),
      ...(spec.apiGroup ? { apiGroup: spec.apiGroup } : {}),
      apiVersion: spec.apiVersion ?? 'v1',
      ...(spec.subresource ? { subresource: spec.subresource } : {}),
    },
    responseStatus: { metadata: {}, code },
    ...(level !== 'Metadata' && spec.requestObject ? { requestObject: spec.requestObject } : {}),
    requestReceivedTimestamp: at.toISOString().replace('Z', '000Z'),
    stageTimestamp: done.toISOString().replace('Z', '000Z'),
    annotations: {
      'authorization.k8s.io/decision': spec.decision ?? 'allow',
      'authorization.k8s.io/reason': human
        ? 'EKS Access Policy: allowed by ClusterRoleBinding "arn:aws:iam::111122223333:role/PlatformAdmin+arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" of ClusterRole "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"'
        : 'RBAC: allowed by ClusterRoleBinding "system:controller:replicaset-controller"',
    },
  };
}

export interface PayloadOptions {
  clusterName: string;
  accountId: string;
  logStream?: string;
  /** First log event id (CloudWatch's are 56-digit strings; any unique text works here). */
  firstId?: number;
}

/** The subscription payload of `events` (each a log line), as CloudWatch Logs hands it to Lambda: `awslogs.data`. */
export function subscriptionData(events: readonly unknown[], options: PayloadOptions): string {
  const first = options.firstId ?? 1;
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: options.accountId,
    logGroup: `/aws/eks/${options.clusterName}/cluster`,
    logStream: options.logStream ?? 'kube-apiserver-audit-5c1f2b7e9a3d4e6f8a0b1c2d3e4f5a6b',
    subscriptionFilters: ['periscope-audit'],
    logEvents: events.map((event, i) => ({
      id: String(first + i).padStart(56, '0'),
      timestamp: Date.now(),
      message: typeof event === 'string' ? event : JSON.stringify(event),
    })),
  };
  return gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64');
}

/** The pod a person applies in the demo: privileged, with a hostPath of the node's root, and a password in its env. */
export function privilegedPod(namespace: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `pod-${name}`, labels: { app: name } },
    spec: {
      containers: [
        {
          name: 'shell',
          image: 'docker.io/library/busybox:1.36',
          command: ['sleep', '86400'],
          securityContext: { privileged: true },
          env: [{ name: 'DB_PASSWORD', value: 'hunter2-do-not-log' }],
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        },
      ],
      volumes: [{ name: 'host', hostPath: { path: '/' } }],
    },
  };
}
