// Everything the Lambda functions talk to, on this machine: the fake EKS API, the Kubernetes API emulator behind
// it, dynalite, and a receiver for SQS and EventBridge. `env` is the environment a function needs to use them
// (what the CDK construct sets in AWS). Used by `npm run invoke`, the end-to-end test and the bundle test.
import type { KubeObject } from '../model/kube.ts';
import { openLocalStore, type LocalStore } from '../store/local.ts';
import { startAwsReceiver, type AwsReceiver, type ReceivedEvent } from './aws-receiver.ts';
import { startFakeEks, type FakeAddonCatalogueEntry, type FakeEks, type FakeEksCluster } from './fake-eks/index.ts';
import { startKubeApi, type KubeApi } from './kube-api/index.ts';

export const localAccountId = '111122223333';
export const localRegion = 'eu-west-1';
export const localClusterName = 'payments-prod';
export const localClusterArn = `arn:aws:eks:${localRegion}:${localAccountId}:cluster/${localClusterName}`;
export const localScannerRoleArn = `arn:aws:iam::${localAccountId}:role/periscope-scanner`;
/** Credentials of the local runs: the emulator accepts EKS tokens signed with them. Not a secret. */
const localCredentials = { accessKeyId: 'AKIAPERISCOPELOCAL01', secretAccessKey: 'periscope-local-secret-key' };

/** A small cluster with something to find: a privileged Deployment behind a public LoadBalancer. */
function demoObjects(): KubeObject[] {
  const labels = { app: 'ops-dashboard' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', uid: 'ns-ops' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ops-dashboard', namespace: 'ops', uid: 'dep-ops-dashboard' },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'dashboard', image: 'example.com/ops-dashboard:1.0', securityContext: { privileged: true } }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ops-dashboard', namespace: 'ops', uid: 'svc-ops-dashboard' },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
}

export interface LocalPipeline {
  eks: FakeEks;
  kube: KubeApi;
  store: LocalStore;
  receiver: AwsReceiver;
  queueUrl: string;
  /** The environment of a function running against these services. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalPipelineOptions {
  status?: FakeEksCluster['status'];
  objects?: KubeObject[];
  /** First re-enqueue delay for a cluster that is not ACTIVE yet (seconds). */
  pollDelaySeconds?: number;
  /** What DescribeAddonVersions answers: each add-on's versions and the cluster versions they are the default
   * for (default: none, so no add-on has a known default version). */
  addonCatalogue?: FakeAddonCatalogueEntry[];
}

export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const kube = await startKubeApi({
    objects: options.objects ?? demoObjects(),
    clusterName: localClusterName,
    region: localRegion,
    credentials: [localCredentials],
  });
  const eks = await startFakeEks({
    region: localRegion,
    accountId: localAccountId,
    ...(options.addonCatalogue ? { addonCatalogue: options.addonCatalogue } : {}),
    clusters: [
      {
        name: localClusterName,
        version: '1.33',
        status: options.status ?? 'ACTIVE',
        endpoint: kube.url,
        caData: kube.caData,
        accessEntries: [
          {
            principalArn: localScannerRoleArn,
            type: 'STANDARD',
            policies: [
              { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy', accessScope: { type: 'cluster' } },
            ],
          },
        ],
      },
    ],
  });
  const store = await openLocalStore({ tableName: 'periscope-local' });
  const receiver = await startAwsReceiver();
  const queueUrl = `${receiver.url}/${localAccountId}/periscope-scan-requests`;
  const env: Record<string, string> = {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_EKS: eks.url,
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
    AWS_ENDPOINT_URL_SQS: receiver.url,
    AWS_ENDPOINT_URL_EVENTBRIDGE: receiver.url,
    TABLE_NAME: 'periscope-local',
    QUEUE_URL: queueUrl,
    BUS_NAME: 'periscope',
    SCANNER_ROLE_ARN: localScannerRoleArn,
    DISCOVERY_TARGETS: JSON.stringify([{ accountId: localAccountId, region: localRegion }]),
    POLL_DELAY_SECONDS: String(options.pollDelaySeconds ?? 60),
    POWERTOOLS_SERVICE_NAME: 'periscope',
    POWERTOOLS_METRICS_NAMESPACE: 'Periscope',
  };
  return {
    eks,
    kube,
    store,
    receiver,
    queueUrl,
    env,
    async stop() {
      await Promise.allSettled([eks.stop(), kube.stop(), store.close(), receiver.stop()]);
    },
  };
}

/** A Lambda context good enough for middy and Powertools. */
export function lambdaContext(functionName: string) {
  const deadline = Date.now() + 10 * 60_000;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `local-${Date.now().toString(36)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Wraps a queued message the way SQS delivers it to Lambda. */
export function sqsEventOf(body: string, messageId = `local-${Math.random().toString(36).slice(2)}`) {
  return {
    Records: [
      {
        messageId,
        receiptHandle: `handle-${messageId}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${localRegion}:${localAccountId}:periscope-scan-requests`,
        awsRegion: localRegion,
      },
    ],
  };
}

/** Wraps a bus event the way EventBridge delivers it to a Lambda target. */
export function eventBridgeEventOf(event: ReceivedEvent, index = 1) {
  return {
    version: '0',
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    'detail-type': event.detailType,
    source: event.source,
    account: localAccountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: localRegion,
    resources: event.resources,
    detail: event.detail,
  };
}
