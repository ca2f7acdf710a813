// KubeConfigs Periscope connects with: in memory from an endpoint, a CA and a token provider (EKS), or a context
// of the user's kubeconfig. TLS verification is never turned off.
// KubeConfig from its own module, not the package root (which also loads client-node's watch, exec, cp... and
// their dependencies); it is the class the root exports.
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { verifiedEndpoint, type BearerTokenSource, type ClusterEndpoint } from './endpoint.ts';

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

function bearerKubeConfig(tokens: BearerTokenSource): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.addAuthenticator({
    isAuthProvider: (user) => user.authProvider?.name === AUTH_PROVIDER,
    async applyAuthentication(_user, opts) {
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
