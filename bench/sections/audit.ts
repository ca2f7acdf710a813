// Audit stream: how many audit events one process takes from CloudWatch Logs subscription payloads (base64 + gzip,
// as the Lambda receives them) through decoding, zod validation, the relevance filter, attribution and every event
// detection. The events are a synthetic EKS mix: mostly controllers' and kubelets' reads, lease renewals and status
// patches, some workload writes with their bodies, a few secrets reads, execs and bindings. Payloads are built before
// the clock starts; medians of several rounds after a warm-up.
import { gunzipSync, gzipSync } from 'node:zlib';
import { InMemoryPrincipalBaseline } from '../../shared/audit/baseline.ts';
import { causesByObject } from '../../shared/audit/cause.ts';
import { auditEventsOf, decodeSubscriptionData } from '../../shared/audit/decode.ts';
import { detect } from '../../shared/audit/detect.ts';
import { matchesFilter } from '../../shared/audit/filter-pattern.ts';
import { auditFilterTerm, isRelevantChange } from '../../shared/audit/relevance.ts';
import { median, round } from '../children.ts';

export interface AuditOptions {
  /** Events per round. */
  events: number;
  /** Events per subscription payload. */
  perPayload: number;
  rounds: number;
}

export interface AuditResult {
  events: number;
  payloads: number;
  /** Mean size of one payload's `awslogs.data` (base64 of gzip). */
  payloadKiB: number;
  /** Mean size of one event's JSON. */
  eventBytes: number;
  /** Share of events the subscription filter pattern would deliver. */
  deliveredShare: number;
  relevantChanges: number;
  findings: number;
  ms: number;
  /** Decoded, validated, filtered and judged per second (target ≥ 50,000). */
  eventsPerSecond: number;
  /** Per second on a stream of only what the subscription filter delivers (what the Lambda gets in production). */
  deliveredPerSecond: number;
  /** The floor on the same payloads: gunzip and JSON.parse of the payload and of each message, nothing else. */
  floorMs: number;
  /** ms ÷ floorMs: what validation, filtering, attribution and the detections cost over reading the JSON at all. */
  floorRatio: number;
}

/** A small deterministic PRNG, so every run judges the same stream. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const namespaces = ['shop', 'payments', 'search', 'batch', 'monitoring', 'kube-system'];
const controllers = ['replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'job-controller', 'namespace-controller'];

function deploymentBody(namespace: string, name: string): Record<string, unknown> {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name, namespace, labels: { app: name, team: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '12' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          serviceAccountName: name,
          containers: [
            {
              name,
              image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.42.0`,
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
              securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
            },
          ],
        },
      },
    },
  };
}

/** One event of the mix, index `i`, with the shares above. */
function syntheticEvent(i: number, next: () => number): Record<string, unknown> {
  const namespace = namespaces[Math.floor(next() * namespaces.length)]!;
  const at = new Date(Date.UTC(2026, 11, 2, 10) + i * 3).toISOString().replace('Z', '451Z');
  const node = `ip-10-0-${Math.floor(next() * 64)}-${Math.floor(next() * 250)}.eu-west-1.compute.internal`;
  const base = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `5f0c${i.toString(16).padStart(8, '0')}-8d1a-4b5e-9f60-1a2b3c4d5e6f`,
    stage: 'ResponseComplete',
    requestReceivedTimestamp: at,
    stageTimestamp: at,
    responseStatus: { metadata: {}, code: 200 },
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount "kube-system"' },
  };
  const controller = controllers[Math.floor(next() * controllers.length)]!;
  const controllerUser = { username: `system:serviceaccount:kube-system:${controller}`, uid: '0c3a3b5e-8d1a-4b5e-9f60-1a2b3c4d5e6f', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };
  const kubelet = { username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] };
  const roll = next();
  if (roll < 0.3) {
    const resource = ['pods', 'endpointslices', 'configmaps', 'services', 'replicasets'][Math.floor(next() * 5)]!;
    return { ...base, requestURI: `/api/v1/namespaces/${namespace}/${resource}?resourceVersion=918273&watch=true`, verb: next() < 0.5 ? 'watch' : 'list', user: controllerUser, sourceIPs: ['10.0.12.7'], userAgent: `kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46/${controller}`, objectRef: { resource, namespace, apiVersion: 'v1' } };
  }
  if (roll < 0.55) {
    return { ...base, requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s`, verb: 'update', user: kubelet, sourceIPs: ['10.0.33.21'], userAgent: 'kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46', objectRef: { resource: 'leases', namespace: 'kube-node-lease', name: node, uid: '7d1e3b5e-8d1a-4b5e-9f60-1a2b3c4d5e6f', apiGroup: 'coordination.k8s.io', apiVersion: 'v1', resourceVersion: '918273' } };
  }
  if (roll < 0.7) {
    const pod = `web-7d4b9c-${Math.floor(next() * 1e5).toString(36)}`;
    return { ...base, requestURI: `/api/v1/namespaces/${namespace}/pods/${pod}/status`, verb: 'patch', user: kubelet, sourceIPs: ['10.0.33.21'], userAgent: 'kubelet/v1.31.2 (linux/amd64) kubernetes/5864a46', objectRef: { resource: 'pods', namespace, name: pod, apiVersion: 'v1', subresource: 'status' } };
  }
  if (roll < 0.85) {
    const name = `app-${Math.floor(next() * 40)}`;
    return { ...base, requestURI: `/api/v1/namespaces/${namespace}/secrets/${name}-tls`, verb: 'get', user: { username: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', 'system:authenticated'] }, sourceIPs: [`10.0.${Math.floor(next() * 64)}.${Math.floor(next() * 250)}`], userAgent: 'Go-http-client/2.0', objectRef: { resource: 'secrets', namespace, name: `${name}-tls`, apiVersion: 'v1' } };
  }
  if (roll < 0.97) {
    const name = `svc-${Math.floor(next() * 200)}`;
    const create = next() < 0.3;
    return {
      ...base,
      level: 'RequestResponse',
      requestURI: `/apis/apps/v1/namespaces/${namespace}/deployments${create ? '' : `/${name}`}?fieldManager=argocd-controller`,
      verb: create ? 'create' : 'patch',
      user: { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts', 'system:authenticated'] },
      sourceIPs: ['10.0.8.14'],
      userAgent: 'argocd-application-controller/v2.13.1',
      objectRef: { resource: 'deployments', namespace, name, apiGroup: 'apps', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: create ? 201 : 200 },
      requestObject: create ? deploymentBody(namespace, name) : { spec: { template: { spec: { containers: [{ name, image: `app:${i}` }] } } } },
      responseObject: deploymentBody(namespace, name),
    };
  }
  const alice = { username: 'alice@example.com', uid: 'aws-iam-authenticator:111122223333:AROAQEXAMPLEALICE', groups: ['dev-admins', 'system:authenticated'], extra: { arn: ['arn:aws:sts::111122223333:assumed-role/DevAdmin/alice@example.com'] } };
  const pod = `web-7d4b9c-${i % 7}`;
  return { ...base, stage: 'ResponseStarted', requestURI: `/api/v1/namespaces/${namespace}/pods/${pod}/exec?command=sh&stdin=true&tty=true`, verb: 'create', user: alice, sourceIPs: ['203.0.113.10'], userAgent: 'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46', objectRef: { resource: 'pods', namespace, name: pod, apiVersion: 'v1', subresource: 'exec' }, responseStatus: { metadata: {}, code: 101 } };
}

interface LogEvent {
  id: string;
  timestamp: number;
  message: string;
}

interface Payloads {
  /** Every event of the stream (no subscription filter). */
  all: string[];
  /** Only what the subscription filter pattern delivers, in payloads of the same size. */
  delivered: string[];
  deliveredEvents: number;
  eventBytes: number;
}

function encode(logEvents: LogEvent[]): string {
  const payload = { messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: '/aws/eks/prod/cluster', logStream: 'kube-apiserver-audit-4f1c0b8e9d2a7c63a1b5e0f9d8c7b6a5', subscriptionFilters: ['periscope-audit'], logEvents };
  return gzipSync(JSON.stringify(payload)).toString('base64');
}

function buildPayloads(options: AuditOptions): Payloads {
  const next = random(13);
  const all: LogEvent[] = [];
  const delivered: LogEvent[] = [];
  let bytes = 0;
  for (let i = 0; i < options.events; i += 1) {
    const event = syntheticEvent(i, next);
    const logEvent = { id: `${37891234567890 + i}`, timestamp: Date.UTC(2026, 11, 2, 10) + i, message: JSON.stringify(event) };
    bytes += logEvent.message.length;
    all.push(logEvent);
    if (matchesFilter(auditFilterTerm, event)) delivered.push(logEvent);
  }
  const chunks = (events: LogEvent[]): string[] => {
    const out: string[] = [];
    for (let start = 0; start < events.length; start += options.perPayload) out.push(encode(events.slice(start, start + options.perPayload)));
    return out;
  };
  return { all: chunks(all), delivered: chunks(delivered), deliveredEvents: delivered.length, eventBytes: bytes / options.events };
}

const clusterId = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';

/** One Lambda's work on each payload: decode, validate, filter, attribute, detect. */
async function judge(payloads: readonly string[]): Promise<{ events: number; relevant: number; findings: number }> {
  const baseline = new InMemoryPrincipalBaseline();
  let events = 0;
  let relevant = 0;
  let findings = 0;
  for (const data of payloads) {
    const batch = auditEventsOf(decodeSubscriptionData(data));
    if (batch.errors.length > 0) throw new Error(`the synthetic stream has bad events: ${batch.errors[0]!.message}`);
    events += batch.events.length;
    for (const event of batch.events) if (isRelevantChange(event)) relevant += 1;
    causesByObject(batch.events);
    findings += (await detect(batch.events, { clusterId, baseline })).findings.length;
  }
  return { events, relevant, findings };
}

/** Median time of judging the payloads, after a warm-up round. */
async function timed(payloads: readonly string[], rounds: number): Promise<{ ms: number; result: Awaited<ReturnType<typeof judge>> }> {
  const times: number[] = [];
  let result = { events: 0, relevant: 0, findings: 0 };
  for (let roundIndex = 0; roundIndex <= rounds; roundIndex += 1) {
    const start = performance.now();
    result = await judge(payloads);
    if (roundIndex > 0) times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}

/** Median time of only reading the payloads' JSON: the least any decoder of this stream does. */
function floorOf(payloads: readonly string[], rounds: number): number {
  const times: number[] = [];
  for (let roundIndex = 0; roundIndex <= rounds; roundIndex += 1) {
    const start = performance.now();
    let count = 0;
    for (const data of payloads) {
      const payload = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as { logEvents: { message: string }[] };
      for (const logEvent of payload.logEvents) if (JSON.parse(logEvent.message)) count += 1;
    }
    if (count === 0) throw new Error('no events read');
    if (roundIndex > 0) times.push(performance.now() - start);
  }
  return median(times);
}

export async function auditSection(options: AuditOptions): Promise<AuditResult> {
  const payloads = buildPayloads(options);
  const floorMs = floorOf(payloads.all, options.rounds);
  const all = await timed(payloads.all, options.rounds);
  const delivered = await timed(payloads.delivered, options.rounds);
  return {
    events: all.result.events,
    payloads: payloads.all.length,
    payloadKiB: round(payloads.all.reduce((sum, data) => sum + data.length, 0) / payloads.all.length / 1024, 1),
    eventBytes: Math.round(payloads.eventBytes),
    deliveredShare: round(payloads.deliveredEvents / options.events, 3),
    relevantChanges: all.result.relevant,
    findings: all.result.findings,
    ms: round(all.ms, 1),
    eventsPerSecond: Math.round((all.result.events / all.ms) * 1000),
    deliveredPerSecond: Math.round((delivered.result.events / delivered.ms) * 1000),
    floorMs: round(floorMs, 1),
    floorRatio: round(all.ms / floorMs, 2),
  };
}
