// Deployment settings for `npm run synth` / `npx cdk deploy`. Every field is optional; see cdk/config.ts.
import { defineConfig } from './config.ts';

export default defineConfig({
  regions: [],
  targetAccounts: [],
  schedule: 'rate(6 hours)',
  grantClusters: [],
  autoEnrol: false,
  strict: false,
});
