// Cluster-level facts from the EKS API (DescribeCluster and friends) as ClusterInfo, plus what is needed to connect.
// Every call that fails leaves its part of ClusterInfo absent and records an `eks:<Call>` coverage entry instead.
import {
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  paginateListAccessEntries,
  paginateListAddons,
  paginateListAssociatedAccessPolicies,
  paginateListNodegroups,
  type Cluster,
  type EKSClient,
} from '@aws-sdk/client-eks';
import { redactedMessage } from './redact.ts';
import type {
  AccessEntry,
  AccessPolicyAssociation,
  AddonInfo,
  ClusterInfo,
  ClusterRef,
  NodeGroupInfo,
  VersionSupport,
} from '../model/cluster.ts';
import type { KindCoverage } from '../model/snapshot.ts';

export interface EksClusterDescription {
  ref: ClusterRef;
  /** Absent only when DescribeCluster itself failed. */
  clusterInfo?: ClusterInfo;
  /** How to reach the Kubernetes API; absent when DescribeCluster failed or the cluster has no endpoint yet. */
  endpoint?: { name: string; server: string; caData: string };
  /** `eks:<Call>` entries, one per EKS operation. */
  coverage: Record<string, KindCoverage>;
}

export interface DescribeEksClusterOptions {
  eks: EKSClient;
  clusterName: string;
  /** Calls in flight at once for the per-entry, per-node-group and per-add-on calls (default 4). */
  concurrency?: number;
}

/** The EKS read calls Periscope makes for one cluster; each has an `eks:<Call>` coverage entry. */
export type EksClusterCall =
  | 'DescribeCluster'
  | 'ListAccessEntries'
  | 'DescribeAccessEntry'
  | 'ListAssociatedAccessPolicies'
  | 'ListNodegroups'
  | 'DescribeNodegroup'
  | 'ListAddons'
  | 'DescribeAddon'
  | 'DescribeAddonVersions'
  | 'DescribeClusterVersions';

export async function describeEksCluster(options: DescribeEksClusterOptions): Promise<EksClusterDescription> {
  const { eks, clusterName } = options;
  const concurrency = options.concurrency ?? 4;
  const coverage: Record<string, KindCoverage> = {};
  const region = await eks.config.region();
  const ok = (call: EksClusterCall, count: number) => (coverage[`eks:${call}`] = { complete: true, count });
  const failed = (call: EksClusterCall, error: unknown, count = 0) =>
    (coverage[`eks:${call}`] = { complete: false, count, error: describeError(call, clusterName, error) });
  const skipped = (call: EksClusterCall, why: string) =>
    (coverage[`eks:${call}`] = { complete: false, count: 0, error: `skipped: ${why}` });

  let cluster: Cluster | undefined;
  try {
    cluster = (await eks.send(new DescribeClusterCommand({ name: clusterName }))).cluster;
    if (!cluster) throw new Error('DescribeCluster returned no cluster');
    ok('DescribeCluster', 1);
  } catch (error) {
    failed('DescribeCluster', error);
  }
  const arn = cluster?.arn;
  const ref: ClusterRef = { id: arn ?? `eks:${region}:${clusterName}`, name: clusterName, region, source: 'eks' };
  if (arn) {
    ref.arn = arn;
    const accountId = arn.split(':')[4];
    if (accountId) ref.accountId = accountId;
  }
  if (!cluster) {
    for (const call of ['ListAccessEntries', 'ListNodegroups', 'ListAddons', 'DescribeClusterVersions'] as const) {
      skipped(call, 'DescribeCluster failed');
    }
    return { ref, coverage };
  }
  const info = clusterInfoOf(cluster, clusterName);
  const [accessEntries, nodeGroups, addons, versionSupport] = await Promise.all([
    accessEntriesOf(),
    nodeGroupsOf(),
    addonsOf(),
    versionSupportOf(),
  ]);
  if (accessEntries) info.accessEntries = accessEntries;
  if (nodeGroups) info.nodeGroups = nodeGroups;
  if (addons) info.addons = addons;
  if (versionSupport) info.versionSupport = versionSupport;

  const description: EksClusterDescription = { ref, clusterInfo: info, coverage };
  if (cluster.endpoint && cluster.certificateAuthority?.data) {
    description.endpoint = { name: clusterName, server: cluster.endpoint, caData: cluster.certificateAuthority.data };
  }
  return description;

  async function accessEntriesOf(): Promise<AccessEntry[] | undefined> {
    if (info.authenticationMode === 'CONFIG_MAP') {
      skipped('ListAccessEntries', 'the cluster authenticates with the aws-auth ConfigMap only');
      return undefined;
    }
    const principals: string[] = [];
    try {
      for await (const page of paginateListAccessEntries({ client: eks }, { clusterName })) {
        principals.push(...(page.accessEntries ?? []));
      }
      ok('ListAccessEntries', principals.length);
    } catch (error) {
      failed('ListAccessEntries', error, principals.length);
      return undefined;
    }
    const describeFailures: unknown[] = [];
    const policyFailures: unknown[] = [];
    const entries = await mapLimit(principals, concurrency, async (principalArn) => {
      const entry: AccessEntry = { principalArn, policies: [] };
      try {
        const described = (await eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn }))).accessEntry;
        if (described?.type) entry.type = described.type;
        if (described?.username) entry.username = described.username;
        if (described?.kubernetesGroups) entry.kubernetesGroups = described.kubernetesGroups;
      } catch (error) {
        describeFailures.push(error);
      }
      try {
        for await (const page of paginateListAssociatedAccessPolicies({ client: eks }, { clusterName, principalArn })) {
          for (const policy of page.associatedAccessPolicies ?? []) {
            if (!policy.policyArn) continue;
            const scope: AccessPolicyAssociation['accessScope'] = {
              type: policy.accessScope?.type === 'namespace' ? 'namespace' : 'cluster',
            };
            if (policy.accessScope?.namespaces?.length) scope.namespaces = policy.accessScope.namespaces;
            entry.policies.push({ policyArn: policy.policyArn, accessScope: scope });
          }
        }
      } catch (error) {
        policyFailures.push(error);
      }
      return entry;
    });
    settle('DescribeAccessEntry', principals.length, describeFailures);
    settle('ListAssociatedAccessPolicies', principals.length, policyFailures);
    return entries;
  }

  async function nodeGroupsOf(): Promise<NodeGroupInfo[] | undefined> {
    const names: string[] = [];
    try {
      for await (const page of paginateListNodegroups({ client: eks }, { clusterName })) names.push(...(page.nodegroups ?? []));
      ok('ListNodegroups', names.length);
    } catch (error) {
      failed('ListNodegroups', error, names.length);
      return undefined;
    }
    const failures: unknown[] = [];
    const groups = await mapLimit(names, concurrency, async (nodegroupName) => {
      const group: NodeGroupInfo = { name: nodegroupName };
      try {
        const found = (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup;
        assign(group, {
          version: found?.version,
          releaseVersion: found?.releaseVersion,
          amiType: found?.amiType,
          status: found?.status,
          nodeRole: found?.nodeRole,
        });
        if (found?.remoteAccess) {
          group.remoteAccess = {};
          assign(group.remoteAccess, {
            ec2SshKey: found.remoteAccess.ec2SshKey,
            sourceSecurityGroups: found.remoteAccess.sourceSecurityGroups,
          });
        }
      } catch (error) {
        failures.push(error);
      }
      return group;
    });
    settle('DescribeNodegroup', names.length, failures);
    return groups;
  }

  async function addonsOf(): Promise<AddonInfo[] | undefined> {
    const names: string[] = [];
    try {
      for await (const page of paginateListAddons({ client: eks }, { clusterName })) names.push(...(page.addons ?? []));
      ok('ListAddons', names.length);
    } catch (error) {
      failed('ListAddons', error, names.length);
      return undefined;
    }
    const describeFailures: unknown[] = [];
    const versionFailures: unknown[] = [];
    const kubernetesVersion = cluster?.version;
    const addons = await mapLimit(names, concurrency, async (addonName) => {
      const addon: AddonInfo = { name: addonName };
      try {
        const found = (await eks.send(new DescribeAddonCommand({ clusterName, addonName }))).addon;
        assign(addon, { version: found?.addonVersion, status: found?.status, serviceAccountRoleArn: found?.serviceAccountRoleArn });
      } catch (error) {
        describeFailures.push(error);
      }
      if (!kubernetesVersion) return addon;
      try {
        const catalogue = await eks.send(new DescribeAddonVersionsCommand({ addonName, kubernetesVersion }));
        const versions = catalogue.addons?.find((entry) => entry.addonName === addonName)?.addonVersions ?? [];
        const preferred = versions.find((version) =>
          version.compatibilities?.some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion === true),
        );
        if (preferred?.addonVersion) addon.defaultVersion = preferred.addonVersion;
      } catch (error) {
        versionFailures.push(error);
      }
      return addon;
    });
    settle('DescribeAddon', names.length, describeFailures);
    if (kubernetesVersion) settle('DescribeAddonVersions', names.length, versionFailures);
    else skipped('DescribeAddonVersions', 'DescribeCluster gave no Kubernetes version');
    return addons;
  }

  async function versionSupportOf(): Promise<VersionSupport | undefined> {
    const version = cluster?.version;
    if (!version) {
      skipped('DescribeClusterVersions', 'DescribeCluster gave no Kubernetes version');
      return undefined;
    }
    try {
      const response = await eks.send(new DescribeClusterVersionsCommand({ clusterVersions: [version] }));
      const found = response.clusterVersions?.find((entry) => entry.clusterVersion === version);
      ok('DescribeClusterVersions', found ? 1 : 0);
      if (!found) return undefined;
      const support: VersionSupport = { clusterVersion: version };
      assign(support, {
        status: found.versionStatus ?? found.status,
        releaseDate: found.releaseDate?.toISOString(),
        endOfStandardSupportDate: found.endOfStandardSupportDate?.toISOString(),
        endOfExtendedSupportDate: found.endOfExtendedSupportDate?.toISOString(),
      });
      return support;
    } catch (error) {
      failed('DescribeClusterVersions', error);
      return undefined;
    }
  }

  /** One coverage entry for a call made once per item: complete only when every one succeeded. */
  function settle(call: EksClusterCall, attempted: number, failures: unknown[]): void {
    if (failures.length === 0) ok(call, attempted);
    else failed(call, failures[0], attempted - failures.length);
  }
}

/** The DescribeCluster part of ClusterInfo. */
export function clusterInfoOf(cluster: Cluster, fallbackName: string): ClusterInfo {
  const info: ClusterInfo = { name: cluster.name ?? fallbackName };
  const vpc = cluster.resourcesVpcConfig;
  assign(info, {
    arn: cluster.arn,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    status: cluster.status,
    endpoint: cluster.endpoint,
    createdAt: cluster.createdAt?.toISOString(),
    endpointPublicAccess: vpc?.endpointPublicAccess,
    endpointPrivateAccess: vpc?.endpointPrivateAccess,
    publicAccessCidrs: vpc?.publicAccessCidrs,
    securityGroupIds: vpc?.securityGroupIds,
    clusterSecurityGroupId: vpc?.clusterSecurityGroupId,
    authenticationMode: cluster.accessConfig?.authenticationMode,
    bootstrapClusterCreatorAdminPermissions: cluster.accessConfig?.bootstrapClusterCreatorAdminPermissions,
    supportType: cluster.upgradePolicy?.supportType,
    oidcIssuer: cluster.identity?.oidc?.issuer,
    tags: cluster.tags,
  });
  if (cluster.logging?.clusterLogging) {
    const logging: NonNullable<ClusterInfo['logging']> = {};
    for (const setup of cluster.logging.clusterLogging) {
      for (const type of setup.types ?? []) logging[type] = setup.enabled === true;
    }
    info.logging = logging;
  }
  const keyArn = cluster.encryptionConfig?.find((config) => config.resources?.includes('secrets'))?.provider?.keyArn;
  if (keyArn) info.secretsEncryptionKeyArn = keyArn;
  return info;
}

function describeError(call: EksClusterCall, clusterName: string, error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = redactedMessage(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const denied = name === 'AccessDeniedException' || status === 403;
  const what = `eks:${call} on cluster ${clusterName}: ${name}: ${message}`;
  return denied ? `forbidden: ${what} (grant eks:${call} to the scanner role)` : `failed: ${what}`;
}

/** Copies the defined values only (the model's optional fields never hold `undefined`). */
function assign<T extends object>(target: T, values: { [K in keyof T]?: T[K] | undefined }): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null) (target as Record<string, unknown>)[key] = value;
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
