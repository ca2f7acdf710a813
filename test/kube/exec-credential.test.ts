// Kubeconfig exec plugins run by Periscope: a timeout that kills a plugin that hangs (and what it started), and
// failures reported as "exec plugin <command> failed (exit N)", never with what the plugin printed on stderr.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execCredentialSource, ExecPluginError, runExecPlugin } from '../../shared/kube/exec-credential.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'periscope-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const credential = (status: Record<string, unknown>) => JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status });

describe('runExecPlugin', () => {
  it('reads the token (and a client certificate) the plugin prints', async () => {
    const command = script('ok', `printf '%s' '${credential({ token: 'tok', clientCertificateData: 'CERT', clientKeyData: 'KEY', expirationTimestamp: '2030-01-01T00:00:00Z' })}'`);
    await expect(runExecPlugin({ command })).resolves.toEqual({ token: 'tok', clientCertificateData: 'CERT', clientKeyData: 'KEY', expiresAt: Date.parse('2030-01-01T00:00:00Z') });
  });

  it('passes the stanza\'s args and env', async () => {
    const command = script('echo-args', `printf '{"status":{"token":"%s-%s"}}' "$1" "$PLUGIN_MODE"`);
    await expect(runExecPlugin({ command, args: ['one'], env: [{ name: 'PLUGIN_MODE', value: 'two' }] }, { environment: { PLUGIN_MODE: 'overridden', PATH: process.env.PATH } })).resolves.toEqual({ token: 'one-two' });
  });

  it('says only "failed (exit N)" when the plugin fails, whatever it printed on stderr', async () => {
    const command = script('fails', `echo "error: refresh token ${secret} rejected" >&2\necho "${secret}"\nexit 3`);
    const error = await runExecPlugin({ command }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ExecPluginError);
    expect((error as Error).message).toBe(`exec plugin ${command} failed (exit 3)`);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(secret);
  });

  it('kills a plugin that hangs, and what it started, at the timeout', async () => {
    const pids = path.join(dir, 'hang.pids');
    const command = script('hangs', `echo $$ > '${pids}'\nsleep 30 &\necho $! >> '${pids}'\nwait`);
    const error = await runExecPlugin({ command }, { timeoutMs: 300 }).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toBe(`exec plugin ${command} did not finish within 0.3 s and was killed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Running, not a zombie waiting for a parent (in a container, PID 1 need not reap orphans).
    const alive = readFileSync(pids, 'utf8').trim().split('\n').filter((pid) => {
      const stat = `/proc/${pid}/stat`;
      return existsSync(stat) && !/^\d+ \(.*\) [ZX]/.test(readFileSync(stat, 'utf8'));
    });
    expect(alive).toEqual([]);
  });

  it('says when the plugin cannot be started, or prints no credential', async () => {
    await expect(runExecPlugin({ command: path.join(dir, 'missing') })).rejects.toThrow(/^exec plugin .*missing could not be started \(ENOENT\)$/);
    const command = script('silent', `echo "not json ${secret}"`);
    const error = await runExecPlugin({ command }).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toBe(`exec plugin ${command} printed no ExecCredential with a token or a client certificate`);
  });
});

describe('execCredentialSource', () => {
  it('runs the plugin once until the credential expires or is invalidated', async () => {
    const runs = path.join(dir, 'runs');
    const command = script('counting', `echo run >> '${runs}'\nprintf '{"status":{"token":"t","expirationTimestamp":"2030-01-01T00:00:00Z"}}'`);
    let now = Date.parse('2029-12-31T00:00:00Z');
    const source = execCredentialSource({ command }, { now: () => now });
    await Promise.all([source.credential(), source.credential()]);
    await source.credential();
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(1);
    now = Date.parse('2030-01-02T00:00:00Z');
    await source.credential();
    source.invalidate();
    await source.credential();
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(existsSync(runs)).toBe(true);
  });
});
