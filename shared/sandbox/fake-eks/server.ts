// A fake EKS control-plane API speaking the REST-JSON protocol of @aws-sdk/client-eks, for the read calls Periscope
// makes. Point an EKSClient at `url` (any credentials) to use it. Used by the tests, the pipeline and the demo.
//
//   const eks = await startFakeEks({ region: 'eu-west-1', clusters: [{ name: 'demo', endpoint, caData }] });
//   new EKSClient({ endpoint: eks.url, region: 'eu-west-1', credentials })
//   eks.setClusterStatus('demo', 'ACTIVE'); eks.failCall('DescribeAddonVersions', { status: 403 }); eks.calls
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EksClusterCall } from '../../eks/cluster-info.ts';

export interface FakeAccessEntry {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  policies?: { policyArn: string; accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] } }[];
}

export interface FakeAddon {
  addonName: string;
  addonVersion: string;
  status?: string;
  serviceAccountRoleArn?: string;
}

export interface FakeEksCluster {
  name: string;
  /** Default 1.31. */
  version?: string;
  /** Default ACTIVE. */
  status?: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED' | 'PENDING';
  /** The Kubernetes API URL (the emulator's) and its CA (base64 PEM). */
  endpoint?: string;
  caData?: string;
  /** Any other DescribeCluster fields, as the API spells them (resourcesVpcConfig, logging, accessConfig, ...). */
  details?: Record<string, unknown>;
  accessEntries?: FakeAccessEntry[];
  /** DescribeNodegroup bodies, each with at least `nodegroupName`. */
  nodegroups?: ({ nodegroupName: string } & Record<string, unknown>)[];
  addons?: FakeAddon[];
}

/** The add-on catalogue for DescribeAddonVersions: versions and the cluster versions they are the default for. */
export interface FakeAddonCatalogueEntry {
  addonName: string;
  versions: { addonVersion: string; defaultFor?: string[]; compatibleWith?: string[] }[];
}

export interface FakeClusterVersion {
  clusterVersion: string;
  releaseDate: string;
  endOfStandardSupportDate: string;
  endOfExtendedSupportDate: string;
}

/** EKS operation names this fake answers: the per-cluster reads, and ListClusters for discovery. */
export type EksCall = 'ListClusters' | EksClusterCall;

export interface FakeEksOptions {
  region?: string;
  accountId?: string;
  clusters?: FakeEksCluster[];
  addonCatalogue?: FakeAddonCatalogueEntry[];
  /** Default: the EKS support calendar of 1.28–1.34. */
  clusterVersions?: FakeClusterVersion[];
  /** Page size of the List calls (default 100), to exercise nextToken. */
  pageSize?: number;
  /** For tests: what "now" is when deciding a version's support status. */
  clock?: () => Date;
}

export interface FakeEks {
  /** http://127.0.0.1:<port>, the `endpoint` of an EKSClient. */
  url: string;
  /** Every call received, by operation name, in order. */
  readonly calls: readonly EksCall[];
  putCluster(cluster: FakeEksCluster): void;
  removeCluster(name: string): void;
  setClusterStatus(name: string, status: NonNullable<FakeEksCluster['status']>): void;
  /** Makes every later `call` fail with this HTTP status and error type (default AccessDeniedException, 403). */
  failCall(call: EksCall, failure?: { status?: number; type?: string; message?: string }): void;
  clearFailures(): void;
  stop(): Promise<void>;
}

export const defaultClusterVersions: FakeClusterVersion[] = [
  { clusterVersion: '1.28', releaseDate: '2023-09-26', endOfStandardSupportDate: '2024-11-26', endOfExtendedSupportDate: '2025-11-26' },
  { clusterVersion: '1.29', releaseDate: '2024-01-23', endOfStandardSupportDate: '2025-03-23', endOfExtendedSupportDate: '2026-03-23' },
  { clusterVersion: '1.30', releaseDate: '2024-05-23', endOfStandardSupportDate: '2025-07-23', endOfExtendedSupportDate: '2026-07-23' },
  { clusterVersion: '1.31', releaseDate: '2024-09-26', endOfStandardSupportDate: '2025-11-26', endOfExtendedSupportDate: '2026-11-26' },
  { clusterVersion: '1.32', releaseDate: '2025-01-23', endOfStandardSupportDate: '2026-03-23', endOfExtendedSupportDate: '2027-03-23' },
  { clusterVersion: '1.33', releaseDate: '2025-05-29', endOfStandardSupportDate: '2026-07-29', endOfExtendedSupportDate: '2027-07-29' },
  { clusterVersion: '1.34', releaseDate: '2025-10-02', endOfStandardSupportDate: '2026-12-02', endOfExtendedSupportDate: '2027-12-02' },
];

class EksError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

export async function startFakeEks(options: FakeEksOptions = {}): Promise<FakeEks> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '111122223333';
  const pageSize = options.pageSize ?? 100;
  const clock = options.clock ?? (() => new Date());
  const clusters = new Map((options.clusters ?? []).map((cluster) => [cluster.name, cluster]));
  const catalogue = options.addonCatalogue ?? [];
  const versions = options.clusterVersions ?? defaultClusterVersions;
  const failures = new Map<EksCall, { status: number; type: string; message: string }>();
  const calls: EksCall[] = [];
  const createdAt = Date.UTC(2024, 0, 15) / 1000;

  const clusterNamed = (name: string): FakeEksCluster => {
    const cluster = clusters.get(name);
    if (!cluster) throw new EksError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`);
    return cluster;
  };
  const entryOf = (cluster: FakeEksCluster, principalArn: string): FakeAccessEntry => {
    const entry = cluster.accessEntries?.find((candidate) => candidate.principalArn === principalArn);
    if (!entry) {
      throw new EksError(404, 'ResourceNotFoundException', `The specified principalArn could not be found: ${principalArn}`);
    }
    return entry;
  };
  const page = <T>(items: T[], query: URLSearchParams): { items: T[]; nextToken?: string } => {
    const start = Number(query.get('nextToken') ?? 0);
    const size = Math.min(Number(query.get('maxResults') ?? pageSize) || pageSize, pageSize);
    const slice = items.slice(start, start + size);
    return start + size < items.length ? { items: slice, nextToken: String(start + size) } : { items: slice };
  };
  const arnOf = (name: string) => `arn:aws:eks:${region}:${accountId}:cluster/${name}`;
  const describe = (cluster: FakeEksCluster) => ({
    name: cluster.name,
    arn: arnOf(cluster.name),
    createdAt,
    version: cluster.version ?? '1.31',
    endpoint: cluster.endpoint,
    roleArn: `arn:aws:iam::${accountId}:role/eks-cluster-role`,
    status: cluster.status ?? 'ACTIVE',
    certificateAuthority: { data: cluster.caData },
    platformVersion: 'eks.10',
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: false },
    resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] },
    upgradePolicy: { supportType: 'EXTENDED' },
    tags: {},
    ...cluster.details,
  });
  const isoSeconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;
  const versionInfo = (version: FakeClusterVersion) => {
    const now = clock().getTime() / 1000;
    const status =
      now < isoSeconds(version.endOfStandardSupportDate)
        ? 'STANDARD_SUPPORT'
        : now < isoSeconds(version.endOfExtendedSupportDate)
          ? 'EXTENDED_SUPPORT'
          : 'UNSUPPORTED';
    return {
      clusterVersion: version.clusterVersion,
      clusterType: 'eks',
      releaseDate: isoSeconds(version.releaseDate),
      endOfStandardSupportDate: isoSeconds(version.endOfStandardSupportDate),
      endOfExtendedSupportDate: isoSeconds(version.endOfExtendedSupportDate),
      versionStatus: status,
      status: status === 'STANDARD_SUPPORT' ? 'standard-support' : status === 'EXTENDED_SUPPORT' ? 'extended-support' : 'unsupported',
      defaultVersion: version.clusterVersion === '1.31',
    };
  };

  type Route = [EksCall, RegExp, (match: string[], query: URLSearchParams) => unknown];
  const routes: Route[] = [
    ['ListClusters', /^\/clusters$/, (_m, query) => {
      const { items, nextToken } = page([...clusters.keys()].sort(), query);
      return { clusters: items, nextToken };
    }],
    ['DescribeCluster', /^\/clusters\/([^/]+)$/, ([name]) => ({ cluster: describe(clusterNamed(name!)) })],
    ['ListAccessEntries', /^\/clusters\/([^/]+)\/access-entries$/, ([name], query) => {
      const { items, nextToken } = page((clusterNamed(name!).accessEntries ?? []).map((entry) => entry.principalArn), query);
      return { accessEntries: items, nextToken };
    }],
    ['ListAssociatedAccessPolicies', /^\/clusters\/([^/]+)\/access-entries\/([^/]+)\/access-policies$/, ([name, principal], query) => {
      const entry = entryOf(clusterNamed(name!), principal!);
      const { items, nextToken } = page(entry.policies ?? [], query);
      return {
        clusterName: name,
        principalArn: principal,
        associatedAccessPolicies: items.map((policy) => ({ ...policy, associatedAt: createdAt, modifiedAt: createdAt })),
        nextToken,
      };
    }],
    ['DescribeAccessEntry', /^\/clusters\/([^/]+)\/access-entries\/([^/]+)$/, ([name, principal]) => {
      const entry = entryOf(clusterNamed(name!), principal!);
      return {
        accessEntry: {
          clusterName: name,
          principalArn: entry.principalArn,
          kubernetesGroups: entry.kubernetesGroups ?? [],
          username: entry.username ?? entry.principalArn,
          type: entry.type ?? 'STANDARD',
          accessEntryArn: `arn:aws:eks:${region}:${accountId}:access-entry/${name}/role/${accountId}/x/1`,
          createdAt,
          modifiedAt: createdAt,
          tags: {},
        },
      };
    }],
    ['ListNodegroups', /^\/clusters\/([^/]+)\/node-groups$/, ([name], query) => {
      const { items, nextToken } = page((clusterNamed(name!).nodegroups ?? []).map((group) => group.nodegroupName), query);
      return { nodegroups: items, nextToken };
    }],
    ['DescribeNodegroup', /^\/clusters\/([^/]+)\/node-groups\/([^/]+)$/, ([name, group]) => {
      const found = clusterNamed(name!).nodegroups?.find((candidate) => candidate.nodegroupName === group);
      if (!found) throw new EksError(404, 'ResourceNotFoundException', `No node group found for name: ${group}.`);
      return { nodegroup: { clusterName: name, status: 'ACTIVE', createdAt, ...found } };
    }],
    ['ListAddons', /^\/clusters\/([^/]+)\/addons$/, ([name], query) => {
      const { items, nextToken } = page((clusterNamed(name!).addons ?? []).map((addon) => addon.addonName), query);
      return { addons: items, nextToken };
    }],
    ['DescribeAddon', /^\/clusters\/([^/]+)\/addons\/([^/]+)$/, ([name, addonName]) => {
      const found = clusterNamed(name!).addons?.find((addon) => addon.addonName === addonName);
      if (!found) throw new EksError(404, 'ResourceNotFoundException', `No addon: ${addonName} found in cluster: ${name}`);
      return { addon: { clusterName: name, status: 'ACTIVE', createdAt, modifiedAt: createdAt, ...found } };
    }],
    ['DescribeAddonVersions', /^\/addons\/supported-versions$/, (_m, query) => {
      const wanted = query.get('addonName');
      const kubernetesVersion = query.get('kubernetesVersion');
      const addons = catalogue
        .filter((entry) => !wanted || entry.addonName === wanted)
        .map((entry) => ({
          addonName: entry.addonName,
          type: 'networking',
          owner: 'aws',
          addonVersions: entry.versions
            .filter((version) => !kubernetesVersion || [...(version.compatibleWith ?? []), ...(version.defaultFor ?? [])].includes(kubernetesVersion))
            .map((version) => ({
              addonVersion: version.addonVersion,
              architecture: ['amd64', 'arm64'],
              compatibilities: [...new Set([...(version.compatibleWith ?? []), ...(version.defaultFor ?? [])])].map((clusterVersion) => ({
                clusterVersion,
                platformVersions: ['*'],
                defaultVersion: version.defaultFor?.includes(clusterVersion) ?? false,
              })),
            })),
        }));
      const { items, nextToken } = page(addons, query);
      return { addons: items, nextToken };
    }],
    ['DescribeClusterVersions', /^\/cluster-versions$/, (_m, query) => {
      const wanted = query.getAll('clusterVersions');
      const chosen = versions.filter((version) => wanted.length === 0 || wanted.includes(version.clusterVersion));
      const { items, nextToken } = page(chosen.map(versionInfo), query);
      return { clusterVersions: items, nextToken };
    }],
  ];

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-eks');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body, (_key, value: unknown) => (value === undefined ? undefined : value)));
    };
    try {
      if (request.method !== 'GET') throw new EksError(405, 'InvalidRequestException', 'The fake EKS API is read-only.');
      if (!request.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
        throw new EksError(403, 'UnrecognizedClientException', 'The request is not signed with SigV4.');
      }
      for (const [call, pattern, handler] of routes) {
        const match = pattern.exec(url.pathname);
        if (!match) continue;
        calls.push(call);
        const failure = failures.get(call);
        if (failure) throw new EksError(failure.status, failure.type, failure.message);
        return reply(200, handler(match.slice(1).map(decodeURIComponent), url.searchParams));
      }
      throw new EksError(404, 'ResourceNotFoundException', `The fake EKS API has no route for ${url.pathname}`);
    } catch (error) {
      const failure = error instanceof EksError ? error : new EksError(500, 'ServerException', String(error));
      reply(failure.status, { message: failure.message }, { 'x-amzn-errortype': failure.type });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    putCluster: (cluster) => void clusters.set(cluster.name, cluster),
    removeCluster: (name) => void clusters.delete(name),
    setClusterStatus(name, status) {
      clusters.set(name, { ...clusterNamed(name), status });
    },
    failCall(call, failure = {}) {
      failures.set(call, {
        status: failure.status ?? 403,
        type: failure.type ?? 'AccessDeniedException',
        message: failure.message ?? `User is not authorized to perform: eks:${call}`,
      });
    },
    clearFailures: () => failures.clear(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
