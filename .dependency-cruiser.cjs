// Layer boundaries of DESIGN.md §3, enforced by test/boundaries.test.ts (and `npx depcruise shared functions cdk`).
const pure = '^shared/(model|engine|facts|rules|rbac)/';
/** The AWS SDK, the Kubernetes client, Lambda tooling, CDK, dynalite and Jira clients: what a use case or pure code never imports. */
const sdkModules = '(^|/)node_modules/(@aws-sdk|@smithy|@aws-crypto|@kubernetes|@middy|@aws-lambda-powertools|aws-cdk-lib|dynalite|jira\\.js)/';
/** Node's file-system, network and process modules. */
const nodeIo = '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|tls)$';
module.exports = {
  forbidden: [
    {
      name: 'pure-layers-no-io',
      comment: 'model, engine, facts, rules and rbac are pure: no AWS SDK, no Kubernetes client, no file system or network.',
      severity: 'error',
      from: { path: pure },
      to: {
        path: '(^|/)node_modules/(@aws-sdk|@smithy|@aws-crypto|@kubernetes|aws-cdk-lib|dynalite|jira\\.js)/',
      },
    },
    {
      name: 'pure-layers-no-node-io',
      severity: 'error',
      from: { path: pure },
      to: { dependencyTypes: ['core'], path: nodeIo },
    },
    {
      name: 'fix-layer-no-node-io',
      comment: 'shared/fix edits the manifest texts it is given; the CLI reads and writes the files.',
      severity: 'error',
      from: { path: '^shared/fix/' },
      to: { dependencyTypes: ['core'], path: nodeIo },
    },
    {
      name: 'fix-layer-below-adapters',
      severity: 'error',
      from: { path: '^shared/fix/' },
      to: { path: '^shared/(cli|store|notify|pipeline|eks|sandbox|report)/|(^|/)node_modules/(@aws-sdk|@smithy|@aws-crypto|@kubernetes|aws-cdk-lib|dynalite|jira\\.js)/' },
    },
    {
      name: 'layers-point-down',
      comment: 'model < engine < facts < rules/rbac: a lower layer never imports a higher one.',
      severity: 'error',
      from: { path: '^shared/(model|engine)/' },
      to: { path: '^shared/(facts|rules|rbac|eks|kube|store|notify|pipeline|report|sandbox|cli)/' },
    },
    {
      name: 'facts-import-only-model-and-engine',
      comment: 'facts are the layer below rules, rbac and report: they read model and engine and nothing else of shared.',
      severity: 'error',
      from: { path: '^shared/facts/' },
      to: { path: '^shared/', pathNot: '^shared/(model|engine|facts)/' },
    },
    {
      name: 'model-is-the-bottom',
      severity: 'error',
      from: { path: '^shared/model/' },
      to: { path: '^shared/engine/' },
    },
    {
      name: 'pipeline-knows-ports-not-sdks',
      comment: 'The use cases take their dependencies as ports: no AWS SDK, Kubernetes client, Lambda tooling or HTTP client.',
      severity: 'error',
      from: { path: '^shared/pipeline/' },
      to: {
        path: sdkModules,
      },
    },
    {
      name: 'pipeline-no-node-io',
      severity: 'error',
      from: { path: '^shared/pipeline/' },
      to: { dependencyTypes: ['core'], path: nodeIo },
    },
    {
      name: 'adapters-stay-apart',
      comment: 'eks, kube, store and notify are adapters side by side: none imports another (what they share lives below).',
      severity: 'error',
      from: { path: '^shared/(eks|kube|store|notify)/' },
      to: { path: '^shared/(eks|kube|store|notify)/', pathNot: '^shared/$1/' },
    },
    {
      name: 'adapters-below-the-pipeline',
      comment: 'An adapter implements a contract it owns (store/port.ts, eks/port.ts) or one below it; it never imports the use cases.',
      severity: 'error',
      from: { path: '^shared/(eks|kube|store|notify|connect)/' },
      to: { path: '^shared/(pipeline|cli|report|sandbox)/' },
    },
    {
      name: 'connect-joins-eks-and-kube',
      comment: 'connect (describe, token, kubeconfig, collect) may import eks, kube, model and engine only.',
      severity: 'error',
      from: { path: '^shared/connect/' },
      to: { path: '^shared/', pathNot: '^shared/(connect|eks|kube|model|engine)/' },
    },
    {
      name: 'connect-is-above-the-adapters',
      comment: 'connect joins eks and kube: no adapter imports it.',
      severity: 'error',
      from: { path: '^shared/(eks|kube|store|notify)/' },
      to: { path: '^shared/connect/' },
    },
    {
      name: 'audit-is-pure',
      comment: 'shared/audit decodes, filters and judges audit events: no AWS SDK, no Kubernetes client, no file system or network (the CLI opens files, the store keeps the baseline).',
      severity: 'error',
      from: { path: '^shared/audit/' },
      to: {
        path: sdkModules,
      },
    },
    {
      name: 'audit-no-node-io',
      severity: 'error',
      from: { path: '^shared/audit/' },
      to: { dependencyTypes: ['core'], path: nodeIo },
    },
    {
      name: 'audit-sits-on-the-rules',
      comment: 'audit reads model, engine, rules (for the kinds they read) and the pure parts of kube (kinds, JSON stream); adapters, the pipeline and the CLI build on it, not it on them.',
      severity: 'error',
      from: { path: '^shared/audit/' },
      to: { path: '^shared/', pathNot: '^shared/(audit|model|engine|facts|rules|rbac)/|^shared/kube/(kinds|json-stream)\\.ts$' },
    },
    {
      name: 'audit-is-above-the-rules',
      severity: 'error',
      from: { path: '^shared/(model|engine|facts|rules|rbac|kube)/' },
      to: { path: '^shared/audit/' },
    },
    {
      name: 'shared-never-imports-entry-points',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|cdk|scripts|test)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|cdk\\.out|demo-output)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
