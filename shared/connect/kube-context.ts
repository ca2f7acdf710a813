// A cluster of the user's kubeconfig, read: its context as is, except that a user whose exec plugin is
// `aws eks get-token` or `aws-iam-authenticator token` gets Periscope's own renewing EKS token, and an EKS
// endpoint adds the EKS facts (when AWS credentials are at hand) and the cluster's ARN as its id.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  awsTokenPluginOf,
  describeEksCluster,
  eksTokenProvider,
  type CredentialSource,
  type EksClusterDescription,
  type EksTokenProvider,
} from '../eks/index.ts';
import { collectSnapshot } from '../kube/index.ts';
import { kubeConfigWithBearerTokens, kubeConfigWithExecPlugin } from '../kube/kubeconfig.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { clientSettings, collectorSettings, type CollectSettings } from './collect-settings.ts';
import { availableCredentials, pluginCredentials, withEksClient } from './credentials.ts';

export interface ContextTarget {
  /** The kubeconfig, switched to the context to scan. */
  kubeConfig: KubeConfig;
  /** For tests and the demo: the AWS credentials (default: the exec plugin's, else the SDK chain). */
  credentials?: CredentialSource;
  /** For tests and the demo: where the EKS API is. */
  eksEndpoint?: string;
}

export async function contextSnapshot(target: ContextTarget, settings: CollectSettings = {}): Promise<Snapshot> {
  const contextName = target.kubeConfig.getCurrentContext();
  const cluster: ClusterRef = { id: `kubeconfig:${contextName}`, name: contextName, source: 'kubeconfig' };
  const eksCluster = eksClusterOf(target.kubeConfig);
  const signed = periscopeTokens(target, eksCluster?.region);
  let facts: EksClusterDescription | undefined;
  if (eksCluster) {
    cluster.region = eksCluster.region;
    facts = await eksFactsOf(eksCluster, signed.credentials, target.eksEndpoint);
    if (facts?.ref.arn) {
      // Described: the same id (and console name) as an `--eks` scan of this cluster.
      cluster.id = facts.ref.arn;
      cluster.name = eksCluster.name;
      cluster.arn = facts.ref.arn;
      if (facts.ref.accountId) cluster.accountId = facts.ref.accountId;
    }
  }
  const renew = signed.tokens;
  // Any other exec plugin is run by Periscope, with a timeout and its stderr never kept; a 401 runs it again.
  const plugin = renew
    ? undefined
    : kubeConfigWithExecPlugin(signed.kubeConfig, {
        ...(settings.execTimeoutMs ? { timeoutMs: settings.execTimeoutMs } : {}),
        ...(settings.execEnvironment ? { environment: settings.execEnvironment } : {}),
      });
  const renewCredentials = renew ? () => renew.invalidate() : plugin?.invalidate;
  return collectSnapshot({
    kubeConfig: plugin?.kubeConfig ?? signed.kubeConfig,
    clientOptions: { ...(renewCredentials ? { renewCredentials } : {}), ...clientSettings(settings) },
    cluster,
    ...(facts?.clusterInfo ? { clusterInfo: facts.clusterInfo } : {}),
    ...(facts ? { coverage: facts.coverage } : {}),
    ...collectorSettings(settings),
  });
}

/** `aws eks get-token` / `aws-iam-authenticator token`: the same token, signed here, and renewed once on a 401. */
function periscopeTokens(
  target: ContextTarget,
  endpointRegion: string | undefined,
): { kubeConfig: KubeConfig; credentials: CredentialSource | undefined; tokens?: EksTokenProvider } {
  const plugin = awsTokenPluginOf(target.kubeConfig.getCurrentUser()?.exec as Parameters<typeof awsTokenPluginOf>[0]);
  const tokenRegion = plugin?.region ?? endpointRegion;
  if (!plugin || !tokenRegion) return { kubeConfig: target.kubeConfig, credentials: target.credentials };
  const credentials = target.credentials ?? pluginCredentials(plugin, tokenRegion);
  const tokens = eksTokenProvider({ clusterName: plugin.clusterId, region: tokenRegion, credentials });
  return { kubeConfig: kubeConfigWithBearerTokens(target.kubeConfig, tokens), credentials, tokens };
}

/** The EKS facts, or undefined when no AWS credentials are at hand (they are optional for a kubeconfig scan). */
async function eksFactsOf(
  eksCluster: { name: string; region: string },
  source: CredentialSource | undefined,
  endpoint: string | undefined,
): Promise<EksClusterDescription | undefined> {
  const credentials = await availableCredentials(source);
  if (!credentials) return undefined;
  return withEksClient({ region: eksCluster.region, credentials, ...(endpoint ? { endpoint } : {}) }, (eks) =>
    describeEksCluster({ eks, clusterName: eksCluster.name }),
  );
}

const EKS_ENDPOINT = /^[0-9a-z]+\.[a-z0-9]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com(?:\.cn)?$/i;

/** The EKS cluster behind the current context: its region from the endpoint host, its name from the context's
 * cluster ARN or the `aws eks get-token --cluster-name` / `aws-iam-authenticator -i` arguments. */
export function eksClusterOf(kubeConfig: KubeConfig): { name: string; region: string } | undefined {
  const current = kubeConfig.getCurrentCluster();
  if (!current) return undefined;
  const host = URL.canParse(current.server) ? new URL(current.server).hostname : '';
  const region = EKS_ENDPOINT.exec(host)?.[1];
  if (!region) return undefined;
  const fromArn = /^arn:aws[a-z-]*:eks:[^:]+:\d+:cluster\/(.+)$/.exec(current.name)?.[1];
  if (fromArn) return { name: fromArn, region };
  const user = kubeConfig.getCurrentUser() as { exec?: { args?: unknown } } | null;
  const args = user?.exec?.args;
  if (Array.isArray(args)) {
    for (const flag of ['--cluster-name', '-i', '--cluster-id']) {
      const at = args.indexOf(flag);
      const value: unknown = at >= 0 ? args[at + 1] : undefined;
      if (typeof value === 'string' && value) return { name: value, region };
    }
  }
  return undefined;
}
