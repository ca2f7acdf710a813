// Layer boundaries of DESIGN.md §3, enforced by test/boundaries.test.ts (and `npx depcruise shared functions cdk`).
const pure = '^shared/(model|engine|rules|rbac)/';
module.exports = {
  forbidden: [
    {
      name: 'pure-layers-no-io',
      comment: 'model, engine, rules and rbac are pure: no AWS SDK, no Kubernetes client, no file system or network.',
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
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|tls)$' },
    },
    {
      name: 'fix-layer-no-node-io',
      comment: 'shared/fix edits the manifest texts it is given; the CLI reads and writes the files.',
      severity: 'error',
      from: { path: '^shared/fix/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|tls)$' },
    },
    {
      name: 'fix-layer-below-adapters',
      severity: 'error',
      from: { path: '^shared/fix/' },
      to: { path: '^shared/(cli|store|notify|pipeline|eks|sandbox|report)/|(^|/)node_modules/(@aws-sdk|@smithy|@aws-crypto|@kubernetes|aws-cdk-lib|dynalite|jira\\.js)/' },
    },
    {
      name: 'layers-point-down',
      comment: 'model < engine < rules/rbac: a lower layer never imports a higher one.',
      severity: 'error',
      from: { path: '^shared/(model|engine)/' },
      to: { path: '^shared/(rules|rbac|eks|kube|store|notify|pipeline|report|sandbox|cli)/' },
    },
    {
      name: 'model-is-the-bottom',
      severity: 'error',
      from: { path: '^shared/model/' },
      to: { path: '^shared/engine/' },
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
