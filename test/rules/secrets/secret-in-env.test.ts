import { describe, expect, it } from 'vitest';
import { runRules } from '../../../shared/engine/run.ts';
import rule from '../../../shared/rules/secrets/secret-in-env.ts';
import { cronJob, deployment, hardenedPodSpec, pod, snapshotOf, statefulSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;
const withEnv = (env: unknown, overrides: Json = {}): Json => ({ ...hardened, env, ...overrides });
const specWithEnv = (env: unknown): Json => hardenedPodSpec({ containers: [withEnv(env)] });

// Fake credentials in the real formats (never valid anywhere).
const secrets = {
  accessKeyId: 'AKIAQ3EGRX7EXAMPLE7Z',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAfakefakefake\n-----END RSA PRIVATE KEY-----',
  github: 'ghp_' + 'Zq9'.repeat(12),
  githubPat: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  slack: 'xoxb-2048-fakeSlackTokenValue',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0LXVzZXIifQ.c2lnbmF0dXJlLWZha2UtdmFsdWU',
  urlPassword: 'Pw9-not-real-xq',
  namedPassword: 'hunter2-not-real',
  namedKey: 'k-7731-fake',
};
const url = `postgres://app:${secrets.urlPassword}@db.internal:5432/shop`;

const fixFor = (base: string, index: number, key: string, secretName = 'web-secrets') => ({
  description: `Store the value of ${key} in Secret "${secretName}" under key "${key}" and reference it with valueFrom.secretKeyRef`,
  patch: [
    { op: 'remove' as const, path: `${base}/env/${index}/value` },
    { op: 'add' as const, path: `${base}/env/${index}/valueFrom`, value: { secretKeyRef: { name: secretName, key } } },
  ],
});

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'a secretKeyRef is not a literal', object: pod({ spec: specWithEnv([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]) }) },
    {
      name: 'placeholders and references',
      object: pod({
        spec: specWithEnv([
          { name: 'DB_PASSWORD', value: '' },
          { name: 'API_TOKEN', value: '$(TOKEN_FROM_SECRET)' },
          { name: 'CLIENT_SECRET', value: '${CLIENT_SECRET}' },
          { name: 'ADMIN_PASSWORD', value: '<your-password>' },
          { name: 'SMTP_PASSWORD', value: '********' },
          { name: 'GITHUB_TOKEN', value: 'REPLACE_ME' },
          { name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@db:5432/shop' },
        ]),
      }),
    },
    {
      name: 'names about a secret, not holding one',
      object: pod({
        spec: specWithEnv([
          { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' },
          { name: 'TOKEN_TTL', value: '3600' },
          { name: 'SECRET_NAME', value: 'db-creds' },
          { name: 'DB_SECRET_ARN', value: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db' },
          { name: 'PASSWORD_MIN_LENGTH', value: '12' },
          { name: 'VAULT_TOKEN', value: '/etc/vault/token' },
          { name: 'PWD', value: 'app' },
          { name: 'OLDPWD', value: 'srv' },
          { name: 'TOKENIZER_MODEL', value: 'bert-base' },
        ]),
      }),
    },
    {
      name: 'a 40-character string without an access key beside it',
      object: pod({ spec: specWithEnv([{ name: 'GIT_COMMIT', value: 'a'.repeat(40) }, { name: 'CHECKSUM', value: secrets.secretAccessKey }]) }),
    },
    { name: 'a URL without a password', object: pod({ spec: specWithEnv([{ name: 'UPSTREAM', value: 'https://user@example.com/x' }]) }) },
    { name: 'malformed env does not throw', object: pod({ spec: hardenedPodSpec({ containers: [withEnv('A=b'), withEnv([null, 3, { name: 'X_TOKEN', value: { nested: true } }], { name: 'b' })] }) }) },
  ],
  invalid: [
    {
      name: 'a password by its name in a deployment: medium, fixed with a secretKeyRef',
      object: deployment({ spec: specWithEnv([{ name: 'DB_PASSWORD', value: secrets.namedPassword }]) }),
      findings: [
        {
          messageId: 'literal',
          severity: 'medium',
          container: 'app',
          data: { variable: 'DB_PASSWORD', container: 'app', kind: 'credential (judged by the variable name)' },
          path: 'spec.template.spec.containers[0].env[0].value',
          fix: fixFor('/spec/template/spec/containers/0', 0, 'DB_PASSWORD'),
        },
      ],
    },
    {
      name: 'an AWS key pair, whatever the names',
      object: statefulSet({ spec: specWithEnv([{ name: 'A', value: secrets.accessKeyId }, { name: 'B', value: secrets.secretAccessKey }]) }),
      findings: [
        { messageId: 'literal', severity: 'high', data: { variable: 'A', container: 'app', kind: 'AWS access key ID' }, path: 'spec.template.spec.containers[0].env[0].value' },
        { messageId: 'literal', severity: 'high', data: { variable: 'B', container: 'app', kind: 'AWS secret access key' }, path: 'spec.template.spec.containers[0].env[1].value' },
      ],
    },
    {
      name: 'token formats and a credential URL in a pod',
      object: pod({
        spec: specWithEnv([
          { name: 'TLS_KEY_PEM', value: secrets.privateKey },
          { name: 'GH', value: secrets.github },
          { name: 'GH_FINE', value: secrets.githubPat },
          { name: 'SLACK', value: secrets.slack },
          { name: 'SESSION', value: secrets.jwt },
          { name: 'DATABASE_URL', value: url },
        ]),
      }),
      findings: [
        { messageId: 'literal', severity: 'high', data: { variable: 'TLS_KEY_PEM', container: 'app', kind: 'private key' }, path: 'spec.containers[0].env[0].value' },
        { messageId: 'literal', data: { variable: 'GH', container: 'app', kind: 'GitHub token' }, path: 'spec.containers[0].env[1].value' },
        { messageId: 'literal', data: { variable: 'GH_FINE', container: 'app', kind: 'GitHub token' }, path: 'spec.containers[0].env[2].value' },
        { messageId: 'literal', data: { variable: 'SLACK', container: 'app', kind: 'Slack token' }, path: 'spec.containers[0].env[3].value' },
        { messageId: 'literal', data: { variable: 'SESSION', container: 'app', kind: 'JSON Web Token' }, path: 'spec.containers[0].env[4].value' },
        { messageId: 'literal', data: { variable: 'DATABASE_URL', container: 'app', kind: 'URL with an embedded password' }, path: 'spec.containers[0].env[5].value' },
      ],
    },
    {
      name: 'camelCase names, numbers and init and ephemeral containers in a cronjob',
      object: cronJob({
        name: 'nightly',
        spec: hardenedPodSpec({
          initContainers: [withEnv([{ name: 'apiKey', value: secrets.namedKey }], { name: 'init' })],
          containers: [withEnv([{ name: 'CLIENT_SECRET', value: 918273 }])],
          ephemeralContainers: [withEnv([{ name: 'adminPasswd', value: 'x-fake-1' }, { name: 'REDIS_PASS', value: 'x-fake-2' }], { name: 'debug' })],
        }),
      }),
      findings: [
        {
          messageId: 'literal',
          severity: 'medium',
          container: 'init',
          data: { variable: 'apiKey', container: 'init', kind: 'credential (judged by the variable name)' },
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].env[0].value',
          fix: fixFor('/spec/jobTemplate/spec/template/spec/initContainers/0', 0, 'apiKey', 'nightly-secrets'),
        },
        { messageId: 'literal', severity: 'medium', container: 'app', data: { variable: 'CLIENT_SECRET', container: 'app', kind: 'credential (judged by the variable name)' }, path: 'spec.jobTemplate.spec.template.spec.containers[0].env[0].value' },
        { messageId: 'literal', severity: 'medium', container: 'debug', path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[0].env[0].value' },
        { messageId: 'literal', severity: 'medium', container: 'debug', path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[0].env[1].value' },
      ],
    },
    {
      name: 'a nameless entry and a value beside a valueFrom',
      object: pod({ spec: specWithEnv([{ value: secrets.slack }, { name: 'TOKEN', value: secrets.namedKey, valueFrom: { fieldRef: { fieldPath: 'x' } } }]) }),
      findings: [
        { messageId: 'literal', data: { variable: 'env[0]', container: 'app', kind: 'Slack token' }, path: 'spec.containers[0].env[0].value' },
        {
          messageId: 'literal',
          severity: 'medium',
          path: 'spec.containers[0].env[1].value',
          fix: {
            description: 'Store the value of TOKEN in Secret "web-secrets" under key "TOKEN" and reference it with valueFrom.secretKeyRef',
            patch: [
              { op: 'remove', path: '/spec/containers/0/env/1/value' },
              { op: 'replace', path: '/spec/containers/0/env/1/valueFrom', value: { secretKeyRef: { name: 'web-secrets', key: 'TOKEN' } } },
            ],
          },
        },
      ],
    },
  ],
});

describe('secret-in-env never reveals a value', () => {
  it('no finding, message, detail or fix contains any secret value or a fragment of it', () => {
    const env = Object.values(secrets).map((value, i) => ({ name: `SECRET_${i}`, value }));
    env.push({ name: 'DATABASE_URL', value: url });
    const findings = runRules(snapshotOf([deployment({ spec: specWithEnv(env) })]), [rule]).findings;
    expect(findings).toHaveLength(env.length);
    const json = JSON.stringify(findings);
    for (const value of [...Object.values(secrets), url]) {
      for (const fragment of [value, value.slice(0, 12), value.slice(-12)]) expect(json).not.toContain(fragment);
    }
    for (const finding of findings) expect(Object.keys(finding.details ?? {}).sort()).toEqual(['detectedBy', 'kind', 'variable']);
  });
});
