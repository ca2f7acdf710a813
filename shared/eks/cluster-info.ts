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
import { redactedMessage } from '../model/redact.ts';
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

/** What DescribeCluster said, in the model's terms: the cluster's ClusterInfo and the CA of its endpoint. */
export interface DescribedCluster {
  info: ClusterInfo;
  /** Base64 of the PEM, as DescribeCluster returns it. */
  caData?: string;
}

/** DescribeCluster, then the rest of the EKS facts; a failed DescribeCluster is a coverage entry, not a throw. */
export async function describeEksCluster(options: DescribeEksClusterOptions): Promise<EksClusterDescription> {
  const { eks, clusterName } = options;
  const region = await eks.config.region();
  let cluster: Cluster | undefined;
  try {
    cluster = (await eks.send(new DescribeClusterCommand({ name: clusterName }))).cluster;
    if (!cluster) throw new Error('DescribeCluster returned no cluster');
  } catch (error) {
    const calls = new CallCoverage(clusterName);
    calls.failed('DescribeCluster', error);
    for (const call of ['ListAccessEntries', 'ListNodegroups', 'ListAddons', 'DescribeClusterVersions'] as const) {
      calls.skipped(call, 'DescribeCluster failed');
    }
    return { ref: clusterRefOf(undefined, clusterName, region), coverage: calls.coverage };
  }
  const described: DescribedCluster = { info: clusterInfoOf(cluster, clusterName) };
  if (cluster.certificateAuthority?.data) described.caData = cluster.certificateAuthority.data;
  return eksClusterFacts({ ...options, described });
}

/** The EKS facts of a cluster already described (by the scan's status check, say): every call but DescribeCluster. */
export async function eksClusterFacts(options: DescribeEksClusterOptions & { described: DescribedCluster }): Promise<EksClusterDescription> {
  const { eks, clusterName, described } = options;
  const calls = new CallCoverage(clusterName);
  calls.ok('DescribeCluster', 1);
  const region = await eks.config.region();
  const info: ClusterInfo = { ...described.info };
  const reader: FactReader = { eks, clusterName, concurrency: options.concurrency ?? 4, calls };
  const [accessEntries, nodeGroups, addons, versionSupport] = await Promise.all([
    accessEntriesOf(reader, info.authenticationMode),
    nodeGroupsOf(reader),
    addonsOf(reader, info.version),
    versionSupportOf(reader, info.version),
  ]);
  if (accessEntries) info.accessEntries = accessEntries;
  if (nodeGroups) info.nodeGroups = nodeGroups;
  if (addons) info.addons = addons;
  if (versionSupport) info.versionSupport = versionSupport;
  const description: EksClusterDescription = { ref: clusterRefOf(info.arn, clusterName, region), clusterInfo: info, coverage: calls.coverage };
  if (info.endpoint && described.caData) {
    description.endpoint = { name: clusterName, server: info.endpoint, caData: described.caData };
  }
  return description;
}

function clusterRefOf(arn: string | undefined, clusterName: string, region: string): ClusterRef {
  const ref: ClusterRef = { id: arn ?? `eks:${region}:${clusterName}`, name: clusterName, region, source: 'eks' };
  if (arn) {
    ref.arn = arn;
    const accountId = arn.split(':')[4];
    if (accountId) ref.accountId = accountId;
  }
  return ref;
}

/** The `eks:<Call>` coverage entries of one cluster's description. */
class CallCoverage {
  readonly coverage: Record<string, KindCoverage> = {};
  readonly #clusterName: string;

  constructor(clusterName: string) {
    this.#clusterName = clusterName;
  }

  ok(call: EksClusterCall, count: number): void {
    this.coverage[`eks:${call}`] = { complete: true, count };
  }

  failed(call: EksClusterCall, error: unknown, count = 0): void {
    this.coverage[`eks:${call}`] = { complete: false, count, error: describeError(call, this.#clusterName, error) };
  }

  skipped(call: EksClusterCall, why: string): void {
    this.coverage[`eks:${call}`] = { complete: false, count: 0, error: `skipped: ${why}` };
  }

  /** One entry for a call made once per item: complete only when every one succeeded. */
  settle(call: EksClusterCall, attempted: number, failures: unknown[]): void {
    if (failures.length === 0) this.ok(call, attempted);
    else this.failed(call, failures[0], attempted - failures.length);
  }
}

interface FactReader {
  eks: EKSClient;
  clusterName: string;
  concurrency: number;
  calls: CallCoverage;
}

/** Every page of a List call, or undefined (with its coverage entry) when a page failed. */
async function listAll(reader: FactReader, call: EksClusterCall, pages: () => AsyncIterable<readonly string[]>): Promise<string[] | undefined> {
  const names: string[] = [];
  try {
    for await (const page of pages()) names.push(...page);
    reader.calls.ok(call, names.length);
    return names;
  } catch (error) {
    reader.calls.failed(call, error, names.length);
    return undefined;
  }
}

async function* mapPages<P>(pages: AsyncIterable<P>, namesOf: (page: P) => readonly string[] | undefined): AsyncIterable<readonly string[]> {
  for await (const page of pages) yield namesOf(page) ?? [];
}

async function accessEntriesOf(reader: FactReader, authenticationMode: string | undefined): Promise<AccessEntry[] | undefined> {
  if (authenticationMode === 'CONFIG_MAP') {
    reader.calls.skipped('ListAccessEntries', 'the cluster authenticates with the aws-auth ConfigMap only');
    return undefined;
  }
  const { eks: client, clusterName } = reader;
  const principals = await listAll(reader, 'ListAccessEntries', () =>
    mapPages(paginateListAccessEntries({ client }, { clusterName }), (page) => page.accessEntries),
  );
  if (!principals) return undefined;
  const describeFailures: unknown[] = [];
  const policyFailures: unknown[] = [];
  const entries = await mapLimit(principals, reader.concurrency, async (principalArn) => {
    const entry: AccessEntry = { principalArn, policies: [] };
    await describeAccessEntry(reader, entry).catch((error: unknown) => describeFailures.push(error));
    await listAccessPolicies(reader, entry).catch((error: unknown) => policyFailures.push(error));
    return entry;
  });
  reader.calls.settle('DescribeAccessEntry', principals.length, describeFailures);
  reader.calls.settle('ListAssociatedAccessPolicies', principals.length, policyFailures);
  return entries;
}

async function describeAccessEntry({ eks, clusterName }: FactReader, entry: AccessEntry): Promise<void> {
  const described = (await eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn: entry.principalArn }))).accessEntry;
  if (described?.type) entry.type = described.type;
  if (described?.username) entry.username = described.username;
  if (described?.kubernetesGroups) entry.kubernetesGroups = described.kubernetesGroups;
}

/** The entry's policies; those of the pages read before a failure are kept. */
async function listAccessPolicies({ eks: client, clusterName }: FactReader, entry: AccessEntry): Promise<void> {
  for await (const page of paginateListAssociatedAccessPolicies({ client }, { clusterName, principalArn: entry.principalArn })) {
    for (const policy of page.associatedAccessPolicies ?? []) {
      if (!policy.policyArn) continue;
      const scope: AccessPolicyAssociation['accessScope'] = {
        type: policy.accessScope?.type === 'namespace' ? 'namespace' : 'cluster',
      };
      if (policy.accessScope?.namespaces?.length) scope.namespaces = policy.accessScope.namespaces;
      entry.policies.push({ policyArn: policy.policyArn, accessScope: scope });
    }
  }
}

async function nodeGroupsOf(reader: FactReader): Promise<NodeGroupInfo[] | undefined> {
  const { eks: client, clusterName } = reader;
  const names = await listAll(reader, 'ListNodegroups', () =>
    mapPages(paginateListNodegroups({ client }, { clusterName }), (page) => page.nodegroups),
  );
  if (!names) return undefined;
  const failures: unknown[] = [];
  const groups = await mapLimit(names, reader.concurrency, async (nodegroupName) => {
    const group: NodeGroupInfo = { name: nodegroupName };
    await describeNodeGroup(reader, group).catch((error: unknown) => failures.push(error));
    return group;
  });
  reader.calls.settle('DescribeNodegroup', names.length, failures);
  return groups;
}

async function describeNodeGroup({ eks, clusterName }: FactReader, group: NodeGroupInfo): Promise<void> {
  const found = (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: group.name }))).nodegroup;
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
}

async function addonsOf(reader: FactReader, kubernetesVersion: string | undefined): Promise<AddonInfo[] | undefined> {
  const { eks: client, clusterName } = reader;
  const names = await listAll(reader, 'ListAddons', () => mapPages(paginateListAddons({ client }, { clusterName }), (page) => page.addons));
  if (!names) return undefined;
  const describeFailures: unknown[] = [];
  const versionFailures: unknown[] = [];
  const addons = await mapLimit(names, reader.concurrency, async (addonName) => {
    const addon: AddonInfo = { name: addonName };
    await describeAddon(reader, addon).catch((error: unknown) => describeFailures.push(error));
    if (!kubernetesVersion) return addon;
    await addonDefaultVersion(reader, addon, kubernetesVersion).catch((error: unknown) => versionFailures.push(error));
    return addon;
  });
  reader.calls.settle('DescribeAddon', names.length, describeFailures);
  if (kubernetesVersion) reader.calls.settle('DescribeAddonVersions', names.length, versionFailures);
  else reader.calls.skipped('DescribeAddonVersions', 'DescribeCluster gave no Kubernetes version');
  return addons;
}

async function describeAddon({ eks, clusterName }: FactReader, addon: AddonInfo): Promise<void> {
  const found = (await eks.send(new DescribeAddonCommand({ clusterName, addonName: addon.name }))).addon;
  assign(addon, { version: found?.addonVersion, status: found?.status, serviceAccountRoleArn: found?.serviceAccountRoleArn });
}

/** The add-on version EKS installs by default on this Kubernetes version. */
async function addonDefaultVersion({ eks }: FactReader, addon: AddonInfo, kubernetesVersion: string): Promise<void> {
  const catalogue = await eks.send(new DescribeAddonVersionsCommand({ addonName: addon.name, kubernetesVersion }));
  const versions = catalogue.addons?.find((entry) => entry.addonName === addon.name)?.addonVersions ?? [];
  const preferred = versions.find((version) =>
    version.compatibilities?.some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion === true),
  );
  if (preferred?.addonVersion) addon.defaultVersion = preferred.addonVersion;
}

async function versionSupportOf({ eks, calls }: FactReader, version: string | undefined): Promise<VersionSupport | undefined> {
  if (!version) {
    calls.skipped('DescribeClusterVersions', 'DescribeCluster gave no Kubernetes version');
    return undefined;
  }
  try {
    const response = await eks.send(new DescribeClusterVersionsCommand({ clusterVersions: [version] }));
    const found = response.clusterVersions?.find((entry) => entry.clusterVersion === version);
    calls.ok('DescribeClusterVersions', found ? 1 : 0);
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
    calls.failed('DescribeClusterVersions', error);
    return undefined;
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
  // `resources` is deprecated since EKS encrypts all API data by default, but it still says which clusters use a
  // customer key for secrets, which is what CIS EKS 5.3.1 asks.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
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
