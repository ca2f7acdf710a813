// `periscope scan --exceptions <file>` and the built-in EKS platform defaults (`--no-platform-defaults`).
import { readFile } from 'node:fs/promises';
import { Option } from 'commander';
import type { ExceptionEntry } from '../engine/exceptions-file.ts';
import { CliError } from './errors.ts';
import { warn } from './output.ts';
import type { ExceptionsSettings, ScanExtension } from './scan-extension.ts';

/** The file is read here and matched by the scan's evaluator, which hands back its matcher for the report of unused
 * and expired entries. */
export const exceptionsExtension: ScanExtension = {
  options(command) {
    command
      .option('--exceptions <file>', 'YAML file of exceptions (rule, namespace, kind, name globs; reason; owner; expires)')
      .addOption(
        new Option('--no-platform-defaults', 'do not suppress findings on EKS platform components (aws-node, kube-proxy, coredns...)'),
      );
  },
  async exceptions(options) {
    const settings: ExceptionsSettings = { platformDefaults: options.platformDefaults !== false };
    const file = options.exceptions;
    if (typeof file !== 'string') return settings;
    try {
      return { ...settings, file: { text: await readFile(file, 'utf8'), file } };
    } catch (error) {
      throw new CliError(`cannot read the exceptions file ${file}: ${(error as Error).message}`);
    }
  },
  async afterEvaluate(input, { fileExceptions }) {
    if (!fileExceptions) return undefined;
    const cluster = input.snapshot.cluster;
    const { unused, expired } = fileExceptions.report();
    for (const { entry } of expired) {
      warn(`exception ${entry.id ?? `for ${entry.rule}`} (owner ${entry.owner}) expired on ${entry.expires}: its findings are open again`);
    }
    for (const { entry } of unused) {
      // Say what the entry selects, and for a cluster selector what this scan's cluster is called, so a typo shows.
      const clusterHint = entry.cluster === undefined ? '' : ` (this scan's cluster is ${cluster.name}, id ${cluster.id})`;
      warn(
        `exception ${entry.id ?? `for ${entry.rule}`} (owner ${entry.owner}) matched no finding with ${selectorsText(entry)}` +
          `${clusterHint}: remove it or fix its selectors`,
      );
    }
    return undefined;
  },
};

/** `rule host-*, namespace nowhere`: an entry's selectors, as written in the file. */
export function selectorsText(entry: ExceptionEntry): string {
  return (['rule', 'cluster', 'namespace', 'kind', 'name'] as const)
    .flatMap((key) => (entry[key] === undefined ? [] : [`${key} ${entry[key]}`]))
    .join(', ');
}
