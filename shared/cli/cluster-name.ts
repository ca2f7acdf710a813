// `periscope scan --cluster-name <name>`: names the cluster of a manifest or kubeconfig scan, so several clusters
// (rendered per environment, or contexts that share a name across machines) keep apart in one local store. The
// cluster id becomes `<source>:<name>` (`manifests:<name>`, `kubeconfig:<name>`) instead of the path or context.
import { Option } from 'commander';
import type { ScanInput } from './scan-extension.ts';
import { CliError } from './errors.ts';

export const clusterNameOption = (): Option =>
  new Option(
    '--cluster-name <name>',
    'name the cluster of a -f or --context scan (default: the path, or the context); its findings are stored under it',
  ).conflicts('eks');

/** The input with its cluster named `name`; an EKS cluster keeps its ARN identity. */
export function withClusterName(input: ScanInput, name: unknown): ScanInput {
  if (name === undefined) return input;
  const text = typeof name === 'string' ? name.trim() : '';
  // eslint-disable-next-line no-control-regex
  if (text === '' || text.length > 100 || /[\u0000-\u001f\u007f]/.test(text)) {
    throw new CliError('--cluster-name takes a name of 1 to 100 characters without control characters.');
  }
  const { cluster } = input.snapshot;
  if (cluster.source === 'eks') {
    throw new CliError('--cluster-name is for -f and --context scans; an EKS cluster is named by its ARN.');
  }
  return { ...input, snapshot: { ...input.snapshot, cluster: { ...cluster, id: `${cluster.source}:${text}`, name: text } } };
}
