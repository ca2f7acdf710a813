// `periscope scan -f <file|dir|->`: manifests as a snapshot source.
import { Option } from 'commander';
import { snapshotTarget, clusterTarget } from '../engine/rule.ts';
import { formatManifestError, manifestSnapshot } from '../kube/manifests.ts';
import { rules } from '../rules/index.ts';
import { manifestScanName, readManifests } from './manifest-files.ts';
import { warn } from './output.ts';
import type { ScanExtension } from './scan-extension.ts';

/** Kinds some rule targets (pseudo-kinds aside). */
export function checkedKinds(catalogue: readonly { meta: { targets: readonly string[] } }[] = rules): Set<string> {
  const kinds = new Set(catalogue.flatMap((rule) => rule.meta.targets));
  kinds.delete(clusterTarget);
  kinds.delete(snapshotTarget);
  return kinds;
}

const maxNotices = 20;

export const manifestSource: ScanExtension = {
  usage: '-f <file|dir|->',
  options(command) {
    command.addOption(
      new Option(
        '-f, --file <paths...>',
        'manifest files or directories to scan (YAML or JSON, multi-document, List kinds; directories are walked for *.yaml, *.yml, *.json; only the `namespace:` of a kustomization in the same directory is applied, not `kustomize build`); `-` reads standard input; repeatable',
      ),
    );
  },
  selects(options) {
    return (options.file?.length ?? 0) > 0;
  },
  async load(options) {
    const paths = options.file ?? [];
    const read = await readManifests(paths);
    // Notices (a directory loop not followed, a field of the wrong type) go to standard error; a file of many
    // wrong-typed objects names the first ones and counts the rest.
    for (const notice of read.notices.slice(0, maxNotices)) warn(formatManifestError(notice));
    if (read.notices.length > maxNotices) warn(`… and ${read.notices.length - maxNotices} more notices like these`);
    const { snapshot, uncheckedKinds } = manifestSnapshot(read.objects, {
      path: paths.join(','),
      name: manifestScanName(paths),
      takenAt: new Date().toISOString(),
      checkedKinds: checkedKinds(),
      errors: read.errors,
    });
    return { snapshot, uncheckedKinds, errors: read.errors.map(formatManifestError), inputErrors: read.errors };
  },
};
