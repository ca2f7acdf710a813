import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestScanName, readManifests } from '../../shared/cli/manifest-files.ts';
import { checkedKinds } from '../../shared/cli/manifest-source.ts';
import { clusterTarget, snapshotTarget } from '../../shared/engine/rule.ts';
import { tempFiles } from './run-cli.ts';

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

describe('readManifests', () => {
  const { dir, cleanup } = tempFiles({
    'b.yaml': ns('b'),
    'a.yml': ns('a'),
    'sub/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c' } }),
    'sub/deeper/d.YAML': ns('d'),
    'README.md': '# not a manifest',
    'notes.txt': 'kind: Namespace',
    '.github/workflows/ci.yaml': 'on: push',
    'empty/.keep': '',
  });
  afterAll(cleanup);

  it('walks directories recursively in sorted order, reading only .yaml, .yml and .json and skipping hidden entries', async () => {
    const read = await readManifests([dir]);
    expect(read.errors).toEqual([]);
    expect(read.files).toEqual([join(dir, 'a.yml'), join(dir, 'b.yaml'), join(dir, 'sub', 'c.json'), join(dir, 'sub', 'deeper', 'd.YAML')]);
    expect(read.objects.map(({ object }) => object.metadata?.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(read.objects[2]!.location).toEqual({ file: join(dir, 'sub', 'c.json'), line: 1 });
  });

  it('reads a file named on the command line whatever its extension, keeping the path as given', async () => {
    const path = join(dir, 'notes.txt');
    const read = await readManifests([path]);
    expect(read.files).toEqual([path]);
    expect(read.errors).toEqual([
      {
        file: path,
        line: 1,
        message: 'this document is not a Kubernetes object: found a mapping without apiVersion; every object needs apiVersion and kind',
      },
    ]);
    const named = await readManifests([join(dir, 'b.yaml')]);
    expect(named.objects[0]!.location).toEqual({ file: join(dir, 'b.yaml'), line: 1 });
  });

  it('reads standard input for `-`, once', async () => {
    let reads = 0;
    const stdin = async () => {
      reads += 1;
      return `---\n${ns('from-stdin')}`;
    };
    const read = await readManifests(['-', '-'], stdin);
    expect(reads).toBe(1);
    expect(read.objects.map(({ object, location }) => [object.metadata?.name, location])).toEqual([
      ['from-stdin', { file: '-', line: 2 }],
    ]);
    expect(read.errors).toEqual([{ file: '-', message: 'standard input was given more than once; it was read once' }]);
  });

  it('reports missing paths and directories without manifests, and reads the rest', async () => {
    const missing = join(dir, 'nope.yaml');
    const read = await readManifests([missing, join(dir, 'empty'), join(dir, 'a.yml')]);
    expect(read.errors).toEqual([
      { file: missing, message: 'cannot read: no such file or directory' },
      { file: join(dir, 'empty'), message: 'no .yaml, .yml, .json files in this directory' },
    ]);
    expect(read.objects.map(({ object }) => object.metadata?.name)).toEqual(['a']);
  });

  it('follows a symbolic link to a directory once, even when it loops', async () => {
    const loop = tempFiles({ 'x/one.yaml': ns('one') });
    try {
      symlinkSync(join(loop.dir, 'x'), join(loop.dir, 'x', 'again'));
      mkdirSync(join(loop.dir, 'y'));
      symlinkSync(join(loop.dir, 'x', 'one.yaml'), join(loop.dir, 'y', 'linked.yaml'));
      const read = await readManifests([loop.dir]);
      expect(read.errors).toEqual([]);
      expect(read.files).toEqual([join(loop.dir, 'x', 'one.yaml'), join(loop.dir, 'y', 'linked.yaml')]);
      expect(read.notices).toEqual([
        { file: join(loop.dir, 'x', 'again'), message: `not followed: a symbolic link back to ${join(loop.dir, 'x')}, which is being read (a directory loop)` },
      ]);
    } finally {
      loop.cleanup();
    }
  });

  it('reads each real directory once: a link back up (a/b -> ..) is a notice, a self-link an input error, and the rest is read', async () => {
    const tree = tempFiles({ 'a/one.yaml': ns('one'), 'c/two.yaml': ns('two') });
    try {
      symlinkSync('..', join(tree.dir, 'a', 'b'));
      symlinkSync('self', join(tree.dir, 'self'));
      symlinkSync(join(tree.dir, 'c'), join(tree.dir, 'd'));
      const read = await readManifests([tree.dir]);
      expect(read.errors).toEqual([{ file: join(tree.dir, 'self'), message: 'cannot read: a symbolic link that loops (too many levels of symbolic links)' }]);
      expect(read.objects.map(({ object }) => object.metadata?.name)).toEqual(['one', 'two']);
      expect(read.notices).toEqual([
        { file: join(tree.dir, 'a', 'b'), message: `not followed: a symbolic link back to ${tree.dir}, which is being read (a directory loop)` },
      ]);
    } finally {
      tree.cleanup();
    }
  });

  it('makes a broken link, a link loop and an unreadable entry input errors, and reads the rest', async () => {
    const tree = tempFiles({ 'ok.yaml': ns('ok'), 'locked/inner.yaml': ns('inner'), 'secret.yaml': ns('hidden') });
    try {
      symlinkSync(join(tree.dir, 'gone.yaml'), join(tree.dir, 'broken.yaml'));
      symlinkSync(join(tree.dir, 'ping.yaml'), join(tree.dir, 'pong.yaml'));
      symlinkSync(join(tree.dir, 'pong.yaml'), join(tree.dir, 'ping.yaml'));
      chmodSync(join(tree.dir, 'secret.yaml'), 0o000);
      chmodSync(join(tree.dir, 'locked'), 0o000);
      const read = await readManifests([tree.dir]);
      const asRoot = process.getuid?.() === 0;
      expect(read.errors).toEqual([
        { file: join(tree.dir, 'broken.yaml'), message: 'cannot read: a broken symbolic link (its target does not exist)' },
        ...(asRoot ? [] : [{ file: join(tree.dir, 'locked'), message: 'cannot read directory: permission denied' }]),
        { file: join(tree.dir, 'ping.yaml'), message: 'cannot read: a symbolic link that loops (too many levels of symbolic links)' },
        { file: join(tree.dir, 'pong.yaml'), message: 'cannot read: a symbolic link that loops (too many levels of symbolic links)' },
        ...(asRoot ? [] : [{ file: join(tree.dir, 'secret.yaml'), message: 'cannot read: permission denied' }]),
      ]);
      expect(read.objects.map(({ object }) => object.metadata?.name)).toContain('ok');
    } finally {
      chmodSync(join(tree.dir, 'secret.yaml'), 0o644);
      chmodSync(join(tree.dir, 'locked'), 0o755);
      tree.cleanup();
    }
  });
});

describe('manifest scan names and checked kinds', () => {
  it('names a scan after its one path, stdin, or "manifests"', () => {
    expect(manifestScanName(['deploy/prod/'])).toBe('prod');
    expect(manifestScanName(['-'])).toBe('stdin');
    expect(manifestScanName(['a.yaml', 'b.yaml'])).toBe('manifests');
  });

  it('counts the kinds rules target, without the pseudo-kinds', () => {
    const kinds = checkedKinds([
      { meta: { targets: ['Deployment', 'Pod'] } },
      { meta: { targets: [clusterTarget] } },
      { meta: { targets: [snapshotTarget, 'Namespace'] } },
    ]);
    expect([...kinds].sort()).toEqual(['Deployment', 'Namespace', 'Pod']);
  });
});
