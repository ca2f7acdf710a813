// The fake EKS API; see server.ts.
export {
  startFakeEks,
  defaultClusterVersions,
  type EksCall,
  type FakeAccessEntry,
  type FakeAddon,
  type FakeAddonCatalogueEntry,
  type FakeClusterVersion,
  type FakeEks,
  type FakeEksCluster,
  type FakeEksOptions,
} from './server.ts';
