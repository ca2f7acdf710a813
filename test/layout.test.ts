// test/ mirrors the sources: a test of shared/store/reconcile.ts is test/store/reconcile.test.ts, so a newcomer finds
// it and a moved source cannot leave its test behind. Suites about the whole product have folders of their own.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Folders of test/ that test the product as a whole rather than one source folder. */
const suites: Record<string, string> = {
  'test/conformance': 'Pod Security Standards conformance against the Kubernetes fixtures',
  'test/security': 'cross-cutting security properties (secrets, tokens, TLS, escaping, partial snapshots)',
  'test/demo': 'the demo end to end',
  'test/docs': 'generated documentation is fresh',
  'test/support': 'the RuleTester and fixture builders',
  'test/fixtures': 'golden files and boundary fixtures',
};

function files(dir: string, suffix: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Where the sources a test folder mirrors live: test/x → shared/x, test/functions → functions, test/cdk → cdk… */
function sourceDirOf(testDir: string): string {
  const rest = testDir.replace(/^test\/?/, '');
  const top = rest.split('/')[0] ?? '';
  return ['functions', 'cdk', 'bench', 'scripts'].includes(top) ? rest : join('shared', rest);
}

const sources = ['shared', 'functions', 'cdk', 'bench', 'scripts'].flatMap((dir) => files(dir, '.ts'));
const tests = files('test', '.test.ts').filter((file) => !Object.keys(suites).some((suite) => file.startsWith(`${suite}/`)));

describe('test/ mirrors the sources', () => {
  it('every test folder mirrors a source folder', () => {
    const orphans = [...new Set(tests.map((file) => dirname(file)))]
      .filter((dir) => dir !== 'test')
      .filter((dir) => !existsSync(join(root, sourceDirOf(dir))));
    expect(orphans, `test folders with no source folder (mirror one, or name the suite in ${basename(import.meta.filename)})`).toEqual([]);
  });

  it('a test named after a source file sits at that file\'s mirrored path', () => {
    const byName = new Map<string, string[]>();
    for (const source of sources) byName.set(basename(source, '.ts'), [...(byName.get(basename(source, '.ts')) ?? []), source]);
    const misplaced = tests.flatMap((test) => {
      const name = basename(test, '.test.ts');
      const candidates = byName.get(name) ?? [];
      if (candidates.length === 0) return [];
      const mirrored = join(sourceDirOf(dirname(test)), `${name}.ts`);
      return candidates.includes(mirrored) ? [] : [`${test} (source: ${candidates.join(', ')})`];
    });
    expect(misplaced).toEqual([]);
  });

  it('a test not named after a source file is named <source>-<topic> or <source>.<topic> after one in its folder', () => {
    const unnamed = tests.filter((test) => {
      const dir = dirname(test);
      if (dir === 'test') return false;
      const name = basename(test, '.test.ts');
      const sourceDir = sourceDirOf(dir);
      if (existsSync(join(root, sourceDir, `${name}.ts`))) return false;
      const siblings = files(sourceDir, '.ts').filter((file) => dirname(file) === sourceDir).map((file) => basename(file, '.ts'));
      return !siblings.some((sibling) => name.startsWith(`${sibling}-`) || name.startsWith(`${sibling}.`));
    });
    expect(unnamed, 'tests whose name names no source of their folder').toEqual([]);
  });
});
