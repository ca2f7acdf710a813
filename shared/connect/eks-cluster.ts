// An EKS cluster, read: describe it (unless the caller already did), sign Periscope's own renewing token, build
// the kubeconfig from the endpoint and CA DescribeCluster gave, and collect the snapshot. The Lambda's snapshot
// source and `periscope scan --eks` both come through here.
import type { EKSClient } from '@aws-sdk/client-eks';
import {
  describeEksCluster,
  eksClusterFacts,
  eksTokenProvider,
  type CredentialSource,
  type DescribedCluster,
  type EksClusterDescription,
} from '../eks/index.ts';
// Straight from the modules, not the kube barrel: the scan Lambda's bundle must not carry @kubernetes/client-node.
import { collectSnapshot } from '../kube/collector.ts';
import type { ClusterEndpoint } from '../kube/endpoint.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { clientSettings, collectorSettings, type CollectSettings } from './collect-settings.ts';

export interface EksClusterTarget {
  eks: EKSClient;
  clusterName: string;
  region: string;
  /** What signs the Kubernetes token: credentials that reach the cluster's account. */
  credentials: CredentialSource;
  /** What the scan's status check already described: DescribeCluster is not called again. */
  described?: DescribedCluster;
  /** Overrides of the snapshot's cluster reference (the Lambda's: the ARN it was asked about). */
  identity?: Pick<Required<ClusterRef>, 'id' | 'arn' | 'accountId' | 'region'>;
}

/** The cluster cannot be connected to: DescribeCluster failed, or the cluster has no reachable API yet. */
export class EksNotConnectableError extends Error {
  override readonly name = 'EksNotConnectableError';
  /** The `eks:DescribeCluster` coverage error, when that call failed. */
  readonly describeError: string | undefined;
  /** The cluster's status, when it was described. */
  readonly status: string | undefined;
  /** Why, in a few words. */
  readonly why: string;

  constructor(clusterName: string, region: string, problem: { describeError?: string; status?: string; why: string }) {
    super(`cannot connect to EKS cluster ${clusterName} in ${region}: ${problem.why}`);
    this.describeError = problem.describeError;
    this.status = problem.status;
    this.why = problem.why;
  }
}

export async function eksClusterSnapshot(target: EksClusterTarget, settings: CollectSettings = {}): Promise<Snapshot> {
  const description = await descriptionOf(target);
  const endpoint = connectableEndpoint(description, target);
  const tokens = eksTokenProvider({ clusterName: target.clusterName, region: target.region, credentials: target.credentials });
  return collectSnapshot({
    // An endpoint and a token source, not a KubeConfig: a 401 renews the token once.
    endpoint,
    tokens,
    clientOptions: clientSettings(settings),
    cluster: target.identity ? { ...description.ref, ...target.identity } : description.ref,
    ...(description.clusterInfo ? { clusterInfo: description.clusterInfo } : {}),
    coverage: description.coverage,
    ...collectorSettings(settings),
  });
}

function descriptionOf({ eks, clusterName, described }: EksClusterTarget): Promise<EksClusterDescription> {
  return described ? eksClusterFacts({ eks, clusterName, described }) : describeEksCluster({ eks, clusterName });
}

const connectableStatuses = new Set(['ACTIVE', 'UPDATING']);

function connectableEndpoint(description: EksClusterDescription, target: EksClusterTarget): ClusterEndpoint {
  const { clusterName, region } = target;
  if (!description.clusterInfo) {
    const describeError = description.coverage['eks:DescribeCluster']?.error ?? 'unknown error';
    throw new EksNotConnectableError(clusterName, region, { describeError, why: describeError });
  }
  const status = description.clusterInfo.status;
  if (!description.endpoint) {
    throw new EksNotConnectableError(clusterName, region, {
      ...(status ? { status } : {}),
      why: 'the cluster has no endpoint or certificate authority yet',
    });
  }
  if (status && !connectableStatuses.has(status)) {
    throw new EksNotConnectableError(clusterName, region, { status, why: `the cluster is ${status}` });
  }
  return description.endpoint;
}
