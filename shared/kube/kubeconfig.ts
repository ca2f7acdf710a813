// KubeConfigs Periscope connects with: in memory from an endpoint, a CA and a token provider (EKS), or a context
// of the user's kubeconfig. TLS verification is never turned off.
// KubeConfig from its own module, not the package root (which also loads client-node's watch, exec, cp... and
// their dependencies); it is the class the root exports.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { verifiedEndpoint, type BearerTokenSource, type ClusterEndpoint } from './endpoint.ts';
import { execCredentialSource, type ExecOptions, type ExecPluginStanza } from './exec-credential.ts';

export type { BearerTokenSource, ClusterEndpoint } from './endpoint.ts';

const AUTH_PROVIDER = 'periscope-bearer';

/** A KubeConfig whose every request carries a token from `tokens`, fetched per request (the source caches). */
export function kubeConfigForEndpoint(endpoint: ClusterEndpoint, tokens: BearerTokenSource): KubeConfig {
  verifiedEndpoint(endpoint);
  const kubeConfig = bearerKubeConfig(tokens);
  kubeConfig.loadFromOptions({
    clusters: [{ name: endpoint.name, server: endpoint.server, caData: endpoint.caData, skipTLSVerify: false }],
    users: [{ name: 'periscope', authProvider: { name: AUTH_PROVIDER, config: {} } }],
    contexts: [{ name: endpoint.name, cluster: endpoint.name, user: 'periscope' }],
    currentContext: endpoint.name,
  });
  return kubeConfig;
}

/** The current context of `kubeConfig` (its cluster as is: CA, TLS server name, proxy) with its user replaced by
 * `tokens`: for a user whose exec plugin only makes EKS tokens that Periscope can make (and renew) itself. */
export function kubeConfigWithBearerTokens(kubeConfig: KubeConfig, tokens: BearerTokenSource): KubeConfig {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: pass a context that names a cluster.');
  const context = kubeConfig.getCurrentContext();
  const user = kubeConfig.getCurrentUser()?.name ?? 'periscope';
  const replaced = bearerKubeConfig(tokens);
  replaced.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, authProvider: { name: AUTH_PROVIDER, config: {} } }],
    contexts: [{ name: context, cluster: cluster.name, user }],
    currentContext: context,
  });
  return replaced;
}

/** The current context with its user's exec plugin run by Periscope (see exec-credential.ts: a timeout, stderr never
 * kept) instead of client-node; undefined when the user has no exec plugin. `invalidate` drops the credential, so a
 * 401 runs the plugin again. */
export function kubeConfigWithExecPlugin(
  kubeConfig: KubeConfig,
  options: ExecOptions = {},
): { kubeConfig: KubeConfig; invalidate: () => void } | undefined {
  const user = kubeConfig.getCurrentUser();
  const exec = user?.exec as Partial<ExecPluginStanza> | undefined;
  if (!user || !exec || typeof exec.command !== 'string') return undefined;
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: pass a context that names a cluster.');
  const source = execCredentialSource({ command: exec.command, ...(exec.args ? { args: exec.args } : {}), ...(exec.env ? { env: exec.env } : {}) }, options);
  const replaced = new KubeConfig();
  replaced.addAuthenticator({
    isAuthProvider: (candidate: { authProvider?: { name?: unknown } }) => candidate.authProvider?.name === EXEC_PROVIDER,
    async applyAuthentication(_user, opts: { headers?: unknown; cert?: unknown; key?: unknown }) {
      const credential = await source.credential();
      if (credential.clientCertificateData && credential.clientKeyData) {
        opts.cert = credential.clientCertificateData;
        opts.key = credential.clientKeyData;
      }
      if (credential.token) {
        const headers = (opts.headers ?? {}) as Record<string, string>;
        headers.Authorization = `Bearer ${credential.token}`;
        opts.headers = headers;
      }
    },
  });
  const context = kubeConfig.getCurrentContext();
  replaced.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user.name, authProvider: { name: EXEC_PROVIDER, config: {} } }],
    contexts: [{ name: context, cluster: cluster.name, user: user.name }],
    currentContext: context,
  });
  return { kubeConfig: replaced, invalidate: () => source.invalidate() };
}

const EXEC_PROVIDER = 'periscope-exec';

function bearerKubeConfig(tokens: BearerTokenSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.addAuthenticator({
    // client-node types these loosely (its request options come from a type it does not export): name what is used.
    isAuthProvider: (user: { authProvider?: { name?: unknown } }) => user.authProvider?.name === AUTH_PROVIDER,
    async applyAuthentication(_user, opts: { headers?: unknown }) {
      const headers = (opts.headers ?? {}) as Record<string, string>;
      headers.Authorization = `Bearer ${await tokens.token()}`;
      opts.headers = headers;
    },
  });
  return kubeConfig;
}

/** The user's kubeconfig (KUBECONFIG or ~/.kube/config, or `file`), switched to `context` when given. */
export function kubeConfigFromContext(options: { context?: string; file?: string } = {}): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (options.file) kubeConfig.loadFromFile(options.file);
  else kubeConfig.loadFromDefault();
  if (options.context) {
    if (!kubeConfig.getContextObject(options.context)) {
      const known = kubeConfig.getContexts().map((context) => context.name);
      throw new Error(
        `No context "${options.context}" in ${options.file ?? 'the kubeconfig'}; known contexts: ${known.join(', ') || 'none'}.`,
      );
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error(`The current context of ${options.file ?? 'the kubeconfig'} names no cluster.`);
  if (cluster.skipTLSVerify) {
    throw new Error(
      `Cluster "${cluster.name}" sets insecure-skip-tls-verify; Periscope always verifies TLS. ` +
        'Set certificate-authority-data for it in the kubeconfig.',
    );
  }
  return kubeConfig;
}
