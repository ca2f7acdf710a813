// `npm run -s periscope -- scan -f k8s/ ...` typed in a subdirectory: npm runs the CLI from the package root and sets
// INIT_CWD to where the user was; relative paths (-f, --output, --exceptions) are the user's.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { userWorkingDir } from '../../shared/cli/working-dir.ts';
import { repoRoot, runCli, tempFiles } from './run-cli.ts';

const files = tempFiles({
  'k8s/app.yaml': `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - name: app
    image: registry.example.com/web:1.0
    securityContext: {privileged: true}
`,
  'e.yaml': `- rule: privileged-container
  namespace: shop
  reason: Legacy app, being rewritten in Q3 by team shop
  owner: team-shop
`,
});
afterAll(files.cleanup);

const ownPackageJson = join(repoRoot, 'package.json');

describe('relative paths under npm run periscope', () => {
  it('resolves -f, --exceptions and --output against INIT_CWD', async () => {
    const result = await runCli(
      ['scan', '-f', 'k8s/', '--exceptions', 'e.yaml', '--format', 'json', '--output', 'x.json'],
      { cwd: repoRoot, env: { INIT_CWD: files.dir, npm_package_json: ownPackageJson } },
    );
    expect(result.stderr).not.toMatch(/cannot read|no such file/);
    expect(result.code).toBe(0);
    expect(existsSync(join(repoRoot, 'x.json'))).toBe(false);
    const report = JSON.parse(readFileSync(join(files.dir, 'x.json'), 'utf8')) as {
      findings: { ruleId: string; status: string; location?: { file: string } }[];
    };
    const privileged = report.findings.find((finding) => finding.ruleId === 'privileged-container');
    expect(privileged).toMatchObject({ status: 'SUPPRESSED', location: { file: join('k8s', 'app.yaml') } });
  });

  it('leaves the directory alone when a project of its own runs periscope from its scripts', async () => {
    const result = await runCli(['scan', '-f', 'k8s/'], {
      cwd: repoRoot,
      env: { INIT_CWD: files.dir, npm_package_json: join(files.dir, 'package.json') },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/k8s/);
  });

  it('changes directory only for our own script, run from our package root, to an existing other directory', () => {
    const env = { INIT_CWD: files.dir, npm_package_json: ownPackageJson };
    expect(userWorkingDir(env, repoRoot, ownPackageJson)).toBe(files.dir);
    expect(userWorkingDir({ npm_package_json: ownPackageJson }, repoRoot, ownPackageJson)).toBeUndefined();
    expect(userWorkingDir({ ...env, INIT_CWD: repoRoot }, repoRoot, ownPackageJson)).toBeUndefined();
    expect(userWorkingDir(env, files.dir, ownPackageJson)).toBeUndefined();
    expect(userWorkingDir({ ...env, npm_package_json: '/elsewhere/package.json' }, repoRoot, ownPackageJson)).toBeUndefined();
    expect(userWorkingDir({ ...env, INIT_CWD: join(files.dir, 'gone') }, repoRoot, ownPackageJson)).toBeUndefined();
  });
});
