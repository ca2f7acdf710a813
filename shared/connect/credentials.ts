// The AWS credentials a live scan signs with: the SDK's default chain, or a role assumed with it.
import { EKSClient } from '@aws-sdk/client-eks';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { GET_TOKEN_SESSION_NAME, type AwsCredentials, type AwsTokenPlugin, type CredentialSource } from '../eks/index.ts';

/** The default chain, or `roleArn` assumed with it (a read-only role in the cluster's account). */
export function credentialsFor(region: string, roleArn: string | undefined): CredentialSource {
  if (!roleArn) return fromNodeProviderChain();
  return fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'periscope-scan', DurationSeconds: 3600 },
    clientConfig: { region },
  });
}

/** What the exec plugin would sign with: the SDK's default chain (with the plugin's profile), as its role if any. */
export function pluginCredentials(plugin: AwsTokenPlugin, region: string): CredentialSource {
  const chain = fromNodeProviderChain(plugin.profile ? { profile: plugin.profile } : {});
  if (!plugin.roleArn) return chain;
  return fromTemporaryCredentials({
    masterCredentials: chain,
    params: { RoleArn: plugin.roleArn, RoleSessionName: GET_TOKEN_SESSION_NAME },
    clientConfig: { region },
  });
}

/** The credentials when there are any (default: the SDK's chain); EKS facts are optional for a kubeconfig scan. */
export async function availableCredentials(source: CredentialSource = fromNodeProviderChain()): Promise<AwsCredentials | undefined> {
  try {
    return typeof source === 'function' ? await source() : source;
  } catch {
    return undefined;
  }
}

/** An EKS client for one scan, destroyed when `use` settles. `endpoint` is for tests and the demo. */
export async function withEksClient<T>(
  options: { region: string; credentials: CredentialSource; endpoint?: string },
  use: (eks: EKSClient) => Promise<T>,
): Promise<T> {
  const eks = new EKSClient({
    region: options.region,
    credentials: options.credentials,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  try {
    return await use(eks);
  } finally {
    eks.destroy();
  }
}
