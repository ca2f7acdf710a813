// Credential recognition shared by secret-in-env and configmap-credentials. Test values are built at run time so
// that no scanner mistakes this file for one holding credentials.
import { describe, expect, it } from 'vitest';
import { isAwsAccessKeyId, isPlaceholder, isSecretName, looksLikeAwsSecretAccessKey, secretKindOfValue } from '../../shared/facts/secret-detection.ts';

const accessKeyId = 'AKIA' + 'Q'.repeat(16);

describe('secretKindOfValue', () => {
  it('recognizes credentials by their shape', () => {
    expect(secretKindOfValue(`-----BEGIN ${'RSA '}PRIVATE KEY-----\nMIIE`)).toBe('private key');
    expect(secretKindOfValue(`key=${accessKeyId}`)).toBe('AWS access key ID');
    expect(secretKindOfValue('ghp_' + 'a'.repeat(36))).toBe('GitHub token');
    expect(secretKindOfValue('postgres://app:' + 's3cr3tpass' + '@db:5432/shop')).toBe('URL with an embedded password');
  });

  it('leaves ordinary values and templated passwords alone', () => {
    expect(secretKindOfValue('https://example.com/path')).toBeUndefined();
    expect(secretKindOfValue('postgres://app:$(DB_PASSWORD)@db:5432/shop')).toBeUndefined();
    expect(secretKindOfValue('info')).toBeUndefined();
  });
});

describe('isPlaceholder', () => {
  it('is true for empty, masked, templated and fill-me-in values', () => {
    for (const value of ['', '  ', '****', 'xxxx', '${PASSWORD}', '{{ .Values.password }}', '<password>', 'changeit-%s', 'TODO', 'your_password']) {
      expect(isPlaceholder(value), value).toBe(true);
    }
  });

  it('is false for a real-looking value', () => {
    expect(isPlaceholder('hunter2-but-longer')).toBe(false);
  });
});

describe('AWS keys', () => {
  it('tells an access key ID and the shape of a secret access key', () => {
    expect(isAwsAccessKeyId(accessKeyId)).toBe(true);
    expect(isAwsAccessKeyId('AKIA-too-short')).toBe(false);
    expect(looksLikeAwsSecretAccessKey(' ' + 'A1/+'.repeat(10) + ' ')).toBe(true);
    expect(looksLikeAwsSecretAccessKey('A1/+'.repeat(9))).toBe(false);
  });
});

describe('isSecretName', () => {
  it('is true for names that say their value is a credential', () => {
    for (const name of ['DB_PASSWORD', 'dbPassword', 'apiKey', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'PASSPHRASE']) expect(isSecretName(name), name).toBe(true);
  });

  it('is false for names about a secret rather than of one, and for the working directory', () => {
    for (const name of ['TOKEN_FILE', 'SECRET_NAME', 'AWS_ACCESS_KEY_ID', 'PASSWORD_MIN_LENGTH', 'PWD', 'OLDPWD', 'KEY', '']) expect(isSecretName(name), name).toBe(false);
  });
});
