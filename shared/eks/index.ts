// The AWS side of Periscope: the EKS bearer token and the cluster-level facts from the EKS API.
export {
  createEksToken,
  eksTokenProvider,
  presignGetCallerIdentity,
  stsHostname,
  CLUSTER_ID_HEADER,
  DEFAULT_RENEW_AFTER_MS,
  PRESIGN_EXPIRES_SECONDS,
  TOKEN_PREFIX,
  TOKEN_VALIDITY_MS,
  type AwsCredentials,
  type CredentialSource,
  type EksTokenOptions,
  type EksTokenProvider,
  type EksTokenProviderOptions,
} from './token.ts';
export {
  clusterInfoOf,
  describeEksCluster,
  eksClusterFacts,
  type DescribedCluster,
  type DescribeEksClusterOptions,
  type EksClusterDescription,
} from './cluster-info.ts';
export { awsTokenPluginOf, GET_TOKEN_SESSION_NAME, type AwsTokenPlugin, type ExecPluginConfig } from './exec-plugin.ts';
