// What the EKS API says about a cluster (DescribeCluster and friends), as rules read it.

export type ClusterSource = 'eks' | 'kubeconfig' | 'manifests';

export interface ClusterRef {
  /** The cluster ARN for EKS, `kubeconfig:<context>` or `manifests:<path>` otherwise. */
  id: string;
  name: string;
  arn?: string;
  accountId?: string;
  region?: string;
  source: ClusterSource;
}

export interface AccessPolicyAssociation {
  policyArn: string;
  accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] };
}

export interface AccessEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  policies: AccessPolicyAssociation[];
}

export interface NodeGroupInfo {
  name: string;
  version?: string;
  releaseVersion?: string;
  amiType?: string;
  status?: string;
  remoteAccess?: { ec2SshKey?: string; sourceSecurityGroups?: string[] };
  nodeRole?: string;
}

export interface AddonInfo {
  name: string;
  version?: string;
  defaultVersion?: string;
  status?: string;
  serviceAccountRoleArn?: string;
}

export interface VersionSupport {
  clusterVersion: string;
  status?: string;
  releaseDate?: string;
  endOfStandardSupportDate?: string;
  endOfExtendedSupportDate?: string;
}

/** Cluster-level facts from the EKS API. Every part is optional: each call that fails leaves its part absent
 * and records a coverage gap instead. */
export interface ClusterInfo {
  name: string;
  arn?: string;
  version?: string;
  platformVersion?: string;
  status?: string;
  endpoint?: string;
  createdAt?: string;
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  publicAccessCidrs?: string[];
  securityGroupIds?: string[];
  clusterSecurityGroupId?: string;
  logging?: Partial<Record<'api' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler', boolean>>;
  secretsEncryptionKeyArn?: string;
  /** `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP` today; any other value EKS may add is kept as it came. */
  authenticationMode?: string;
  bootstrapClusterCreatorAdminPermissions?: boolean;
  /** `STANDARD` or `EXTENDED` today. */
  supportType?: string;
  versionSupport?: VersionSupport;
  accessEntries?: AccessEntry[];
  nodeGroups?: NodeGroupInfo[];
  addons?: AddonInfo[];
  podIdentityAssociations?: { namespace: string; serviceAccount: string; roleArn: string }[];
  tags?: Record<string, string>;
  /** `identity.oidc.issuer`: the cluster's OIDC provider for IAM roles for service accounts. */
  oidcIssuer?: string;
}
