// How Periscope reaches a cluster without a kubeconfig (EKS): an https endpoint, its CA, and a token source.
// No @kubernetes/client-node here, so the scan Lambda's bundle does not carry it.

/** Anything that hands out bearer tokens and can drop a cached one (see eksTokenProvider). */
export interface BearerTokenSource {
  token(): Promise<string>;
  invalidate(): void;
}

export interface ClusterEndpoint {
  /** A name for the kubeconfig entries (the cluster name). */
  name: string;
  /** `https://...`; plain http is refused. */
  server: string;
  /** The CA bundle as DescribeCluster returns it: base64 of the PEM. */
  caData: string;
}

/** The endpoint, once it is known to be https with a CA to verify it against. */
export function verifiedEndpoint(endpoint: ClusterEndpoint): ClusterEndpoint {
  if (!endpoint.server.startsWith('https://')) {
    throw new Error(`Cluster "${endpoint.name}": endpoint ${endpoint.server} is not https; Periscope only connects over TLS.`);
  }
  if (!endpoint.caData) throw new Error(`Cluster "${endpoint.name}": no certificate authority data to verify its endpoint.`);
  return endpoint;
}
