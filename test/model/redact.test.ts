// The redactor against a table of realistic credential formats (the shapes each service documents, with made-up
// values), and the text around them that must stay readable: fingerprints, UUIDs, digests, ARNs, ordinary words.
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../shared/model/redact.ts';

// Built at run time so no scanner of this repository mistakes the fixtures for leaked credentials.
const j = (...parts: string[]): string => parts.join('');
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64({ sub: 'system:serviceaccount:ci:deployer', exp: 1767225600 })}.${'Qx7_Hk2-Lm9pRt4vWy0zB3cD6eF8gH1iJ5kL7mN0oP2qR4sT'}`;

/** [format, text that carries it, the secret part that must not survive]. */
const secrets: readonly [string, string, string][] = [
  ['Slack bot token', `slack said invalid_auth for ${j('xoxb', '-2048123456789-4096123456789-q1w2E3r4T5y6U7i8O9p0AsDf')}`, j('xoxb', '-2048123456789')],
  ['Slack user token', `token ${j('xoxp', '-2048123456789-2048987654321-4096123456789-0f1e2d3c4b5a69788796a5b4c3d2e1f0')}`, j('xoxp', '-2048123456789')],
  ['Slack app-level token', `SLACK_APP=${j('xapp', '-1-A04BCDEFGHJ-4096123456789-a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4')}`, j('xapp', '-1-A04BCDEFGHJ')],
  ['Slack webhook URL', `POST ${j('https://hooks.slack.com/services/', 'T04ABCDEF/B05GHIJKL/', 'q1w2e3r4t5y6u7i8o9p0asdf')} failed: 404`, 'q1w2e3r4t5y6u7i8o9p0asdf'],
  ['GitHub classic PAT', `remote: ${j('ghp', '_', 'R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0K')}`, 'R4nd0mT0k3nV4lu3F0rT3st1ng'],
  ['GitHub OAuth token', `gh auth: ${j('gho', '_', '16C7e42F292c6912E7710c838347Ae178B4a')}`, '16C7e42F292c6912E7710c838347Ae178B4a'],
  ['GitHub app installation token', `x-access-token:${j('ghs', '_', 'Xy12Zw34Vu56Ts78Rq90Po12Nm34Lk56Ji78')}`, 'Xy12Zw34Vu56Ts78Rq90Po12Nm34Lk56Ji78'],
  ['GitHub fine-grained PAT', `using ${j('github_pat', '_', '11ABCDEFG0123456789abc_deFGHijklMNOpqrsTUVwxyz0123456789ABCDEFGHIJKLMNOPQRSTU')}`, '0123456789abc_deFGHijkl'],
  ['GitLab PAT', `PRIVATE-TOKEN: ${j('glpat', '-', 'xY9zA8bC7dE6fG5hI4jK')}`, 'xY9zA8bC7dE6fG5hI4jK'],
  ['Google OAuth access token', `Authorization header was ${j('ya29', '.', 'a0AfH6SMBx-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz')}`, 'a0AfH6SMBx-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz'],
  ['Google API key', `key=${j('AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY')}`, 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY'],
  ['AWS access key id (long-term)', `The AWS Access Key Id ${j('AKIA', 'QWERTYUIOP123456')} does not exist`, j('AKIA', 'QWERTYUIOP123456')],
  ['AWS access key id (session)', `credential ${j('ASIA', 'ZXCVBNMLKJ098765')}/20260101/us-east-1/sts`, j('ASIA', 'ZXCVBNMLKJ098765')],
  ['AWS secret key in key=value', `aws_secret_access_key = ${j('wJalrXUtnFEMI/K7MDENG', '/bPxRfiCYzEXAMPLEKEY')}`, 'K7MDENG'],
  ['AWS secret key in an env listing', `AWS_SECRET_ACCESS_KEY=${j('abcdefghijklmnopqrst', 'uvwxyz0123456789abcd')}`, 'uvwxyz0123456789abcd'],
  ['EKS token', `k8s-aws-v1.${Buffer.from('https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Signature=abc').toString('base64url')}`, 'aHR0cHM6'],
  ['JWT (service-account token)', `token rejected: ${jwt}`, jwt.split('.')[1]!],
  ['Bearer header', 'Authorization: Bearer 9f2c1d0a-opaque.tok3n~value', 'opaque.tok3n'],
  ['Basic header', 'proxy sent "Basic YWRtaW46aHVudGVyMg=="', 'YWRtaW46aHVudGVyMg'],
  ['Authorization with another scheme', 'Authorization: token 0123456789abcdef0123456789abcdef01234567', '0123456789abcdef0123456789abcdef01234567'],
  ['hex API key (32) in a header', 'X-Api-Key: 8d969eef6ecad3c29a3a629280e686cf', '8d969eef6ecad3c29a3a629280e686cf'],
  ['hex token (40) in a query string', 'GET /v1/hook?token=da39a3ee5e6b4b0d3255bfef95601890afd80709&x=1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['hex secret (64) in JSON', '{"clientSecret":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}', '2cf24dba5fb0a30e26e83b2ac5b9e29e'],
  ['password in a URL', 'dial postgres://app:S3cr3t!pass@db.internal:5432/app failed', 'S3cr3t!pass'],
  ['password in an https URL', `proxy https://${j('ci-bot', ':', 'tr0ub4dor&3')}@proxy.corp:8080 refused`, 'tr0ub4dor&3'],
  ['Atlassian API token', `jira 401 with ${j('ATATT', '3xFfGF0T4nd0mV4lu3Ex4mpl3_-Xy=12345678')}`, 'nd0mV4lu3Ex4mpl3'],
  ['npm token', `//registry.npmjs.org/:_authToken=${j('npm', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')}`, 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'],
  ['password field', 'DB_PASSWORD=hunter22 in env', 'hunter22'],
  ['PEM private key block', `key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7V3x\nq1w2e3r4\n-----END RSA PRIVATE KEY-----\nend`, 'MIIEowIBAAKCAQEA7V3x'],
  ['PEM key with escaped newlines, cut short', String.raw`"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC`, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
];

/** Text a user needs to read: each must come out unchanged. */
const readable: readonly [string, string][] = [
  ['ordinary words', 'the token provider refreshed the secret store; the password policy is fine'],
  ['a finding fingerprint (32 hex)', 'finding 9f86d081884c7d659a2feaa0c55ad015 resolved'],
  ['a SHA-256 fingerprint (64 hex)', 'fingerprint 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  ['an image digest', 'image nginx@sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  ['a commit id', 'built from commit da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['a UUID (scan id)', 'scan 3f2504e0-4f89-11d3-9a0c-0305e82c3301 recorded'],
  ['an ARN', 'arn:aws:iam::123456789012:role/PeriscopeScanner is not authorized to perform eks:DescribeCluster'],
  ['an API path', 'listing /apis/rbac.authorization.k8s.io/v1/clusterrolebindings failed'],
  ['a URL without a password', 'GET https://api.example.com:443/healthz?watch=false'],
  ['a kind named Secret', 'kind Secret default/db-creds is mounted'],
  ['a secretName reference', 'volume uses secretName: db-creds'],
  ['a plain Slack channel id', 'posted to C0123456789 in team T04ABCDEF'],
];

describe('redactSecrets masks realistic credential formats', () => {
  it.each(secrets)('%s', (_format, text, secret) => {
    const out = redactSecrets(text);
    expect(out).toContain('<redacted>');
    expect(out).not.toContain(secret);
  });

  it('keeps the text around a secret, so the message still says what happened', () => {
    expect(redactSecrets('The AWS Access Key Id AKIAQWERTYUIOP123456 does not exist')).toBe('The AWS Access Key Id <redacted> does not exist');
    expect(redactSecrets('dial postgres://app:S3cr3t!pass@db.internal:5432/app failed')).toBe('dial postgres://app:<redacted>@db.internal:5432/app failed');
    expect(redactSecrets('X-Api-Key: 8d969eef6ecad3c29a3a629280e686cf')).toBe('X-Api-Key: <redacted>');
  });

  it('is idempotent', () => {
    for (const [, text] of secrets) expect(redactSecrets(redactSecrets(text))).toBe(redactSecrets(text));
  });
});

describe('redactSecrets keeps what is not a credential', () => {
  it.each(readable)('%s', (_what, text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});
