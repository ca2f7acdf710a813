import { describe, expect, it } from 'vitest';
import { runRules } from '../../../shared/engine/run.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import rule from '../../../shared/rules/secrets/configmap-credentials.ts';
import { snapshotOf } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const configMap = (data: Record<string, string>, namespace = 'shop'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace }, data });
const awsKey = 'AKIA' + 'Z7QW4XKT2MPL9RBN';
const dbPassword = 'S3cure-Pa55w0rd!';

ruleTester.run(rule, {
  valid: [
    { name: 'ordinary settings', object: configMap({ LOG_LEVEL: 'info', PASSWORD_MIN_LENGTH: '12', TOKEN_TTL: '3600', DB_HOST: 'db.internal' }) },
    { name: 'placeholders and references', object: configMap({ DB_PASSWORD: '${DB_PASSWORD}', API_KEY: 'your-api-key', SECRET: '' }) },
    { name: 'names that point at a secret, not hold it', object: configMap({ TOKEN_FILE: '/var/run/secrets/token', SECRET_NAME: 'db-credentials' }) },
    { name: 'kube-system is left to the platform', object: configMap({ password: dbPassword }, 'kube-system') },
    { name: 'a config file without credentials', object: configMap({ 'app.properties': 'server.port=8080\nlog.level=info\n' }) },
  ],
  invalid: [
    {
      name: 'a password by key name and an AWS key by value shape',
      object: configMap({ DB_PASSWORD: dbPassword, settings: `aws_key_id=${awsKey}` }),
      findings: [
        { messageId: 'credential', data: { configMap: 'app-config', key: 'DB_PASSWORD', reason: 'its name says it is a credential' }, path: 'data.DB_PASSWORD', fix: null },
        { messageId: 'credential', data: { configMap: 'app-config', key: 'settings', reason: 'its value contains an AWS access key ID' }, path: 'data.settings' },
      ],
    },
    {
      name: 'a config file line that sets a password',
      object: configMap({ 'application.properties': `server.port=8080\nspring.datasource.password=${dbPassword}\n` }),
      findings: [
        {
          messageId: 'credential',
          data: { configMap: 'app-config', key: 'application.properties', reason: 'line 2 of its value sets "spring.datasource.password"' },
          path: 'data["application.properties"]',
        },
      ],
    },
    {
      name: 'a shipped default password is still a password',
      object: configMap({ ADMIN_PASSWORD: 'changeme' }),
      findings: [
        { messageId: 'credential', data: { configMap: 'app-config', key: 'ADMIN_PASSWORD', reason: 'its name says it is a credential' }, path: 'data.ADMIN_PASSWORD', fix: null },
      ],
    },
  ],
});

describe('configmap-credentials never leaks the value', () => {
  it('keeps the credential out of message, path and details', () => {
    const findings = runRules(snapshotOf([configMap({ DB_PASSWORD: dbPassword, aws: awsKey })]), [rule]).findings;
    expect(findings).toHaveLength(2);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(dbPassword);
    expect(text).not.toContain(awsKey);
  });
});
