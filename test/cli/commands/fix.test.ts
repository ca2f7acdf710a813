import { chmodSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { writeAtomically } from '../../../shared/cli/commands/fix.ts';
import { container, deployment, hardenedPodSpec } from '../../support/fixtures.ts';
import { runCli, tempFiles } from '../run-cli.ts';

const privileged = deployment({ name: 'web', spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: true } })] }) });
const text = `# web, as the team wrote it\n${stringify(privileged)}`;

describe('periscope fix', () => {
  const { dir, cleanup } = tempFiles({
    'dry/web.yaml': text,
    'write/web.yaml': text,
    'readonly/web.yaml': text,
    'overlay/kustomization.yaml': 'resources: [base.yaml]\npatches:\n  - path: web-patch.yaml\n',
    'overlay/base.yaml': stringify(deployment({ name: 'api' })),
    'overlay/web-patch.yaml': text,
  });
  afterAll(cleanup);

  it('prints a unified diff by default and writes nothing', async () => {
    const result = await runCli(['fix', '-f', 'web.yaml', '--rule', 'privileged-container'], { cwd: join(dir, 'dry') });
    expect(result.code).toBe(0);
    const line = text.split('\n').indexOf('            privileged: true') + 1;
    expect(result.stdout).toBe(
      [
        '--- a/web.yaml',
        '+++ b/web.yaml',
        `@@ -${line - 3},4 +${line - 3},4 @@`,
        '         - name: app',
        '           image: registry.example.com/app:1.2.3',
        '           securityContext:',
        '-            privileged: true',
        '+            privileged: false',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('periscope: would fix 1 finding in 1 file; run again with --write to edit the files\n');
    expect(readFileSync(join(dir, 'dry', 'web.yaml'), 'utf8')).toBe(text);
  });

  it('--write edits the file in place, keeping its mode, and a rescan no longer reports the fixed finding', async () => {
    const file = join(dir, 'write', 'web.yaml');
    chmodSync(file, 0o640);
    const result = await runCli(['fix', '-f', file, '--rule', 'privileged-*', '--write']);
    expect(result.stderr).toBe('periscope: fixed 1 finding in 1 file\n');
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text.replace('privileged: true', 'privileged: false'));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, 'write'))).toEqual(['web.yaml']);
    const rescan = await runCli(['scan', '-f', file, '--format', 'json']);
    expect((JSON.parse(rescan.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).not.toContain('privileged-container');
  });

  it('does not touch a read-only file, and says so with the file and exit code 2', async () => {
    const file = join(dir, 'readonly', 'web.yaml');
    chmodSync(file, 0o444);
    const result = await runCli(['fix', '-f', file, '--rule', 'privileged-container', '--write']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`periscope: ${file}: is read-only (mode 0444); nothing was written\n`);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('prints kustomize patches for standard input (helm template | periscope fix -f -)', async () => {
    const result = await runCli(['fix', '-f', '-', '--rule', 'privileged-container'], { input: text });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# standard input cannot be fixed in place: standard input is not a file \(Helm or kustomize output\?\)\.\n/);
    expect(result.stdout).toContain('patches:\n  - target:\n      group: apps\n      version: v1\n      kind: Deployment\n      namespace: shop\n      name: web\n');
    expect(result.stdout).toContain('path: /spec/template/spec/containers/0/securityContext/privileged');
    expect(result.stderr).toContain('1 finding as kustomize patches');
  });

  it("treats a kustomize overlay's patch file as not fixable in place", async () => {
    const result = await runCli(['fix', '-f', join(dir, 'overlay'), '--rule', 'privileged-container', '--write']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`# ${join(dir, 'overlay', 'web-patch.yaml')} cannot be fixed in place: it is a patch that ${join(dir, 'overlay', 'kustomization.yaml')} applies, not the object itself.`);
    expect(readFileSync(join(dir, 'overlay', 'web-patch.yaml'), 'utf8')).toBe(text);
  });

  it('rejects a --rule that matches no rule and a --run-as-user that is not a number', async () => {
    const unknown = await runCli(['fix', '-f', join(dir, 'dry'), '--rule', 'no-such-*']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('periscope: --rule no-such-* matches no rule (see periscope rules)\n');
    const uid = await runCli(['fix', '-f', join(dir, 'dry'), '--run-as-user', 'root']);
    expect(uid.stderr).toBe('periscope: --run-as-user must be a number, not root\n');
  });
});

describe('writeAtomically', () => {
  const { dir, cleanup } = tempFiles({ 'web.yaml': text });
  afterAll(cleanup);

  it('refuses a file changed since it was scanned and leaves it as it is', async () => {
    const file = join(dir, 'web.yaml');
    writeFileSync(file, `${text}# edited meanwhile\n`);
    expect(await writeAtomically(file, text, 'fixed\n')).toBe('changed since it was scanned; nothing was written: scan and fix again');
    expect(readFileSync(file, 'utf8')).toBe(`${text}# edited meanwhile\n`);
    expect(readdirSync(dir)).toEqual(['web.yaml']);
  });
});
