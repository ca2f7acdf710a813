// The config's per-rule settings: checked against the catalogue at synth time, and handed to the scan function only.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../cdk/config.ts';
import { readPipelineConfig } from '../../functions/environment.ts';
import { synthScanner } from './synth.ts';

const rules = {
  'image-registry-not-allowed': { options: { allowedRegistries: ['*.dkr.ecr.*.amazonaws.com', 'registry.k8s.io'] }, severity: 'high' },
  'default-namespace': { disabled: true },
} as const;

describe('rules in the CDK config', () => {
  it('reach the scan function as RULE_SETTINGS, which the function reads back unchanged', () => {
    const { template } = synthScanner({ rules }, { account: '111122223333', region: 'eu-west-1' });
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }[];
    const withSettings = functions.map((f) => f.Properties.Environment?.Variables ?? {}).filter((variables) => 'RULE_SETTINGS' in variables);
    expect(withSettings).toHaveLength(1);
    const variables = withSettings[0]!;
    expect(variables).toHaveProperty('LEASE_TTL_SECONDS'); // the scan function's
    const text = variables.RULE_SETTINGS;
    expect(typeof text).toBe('string');
    const config = readPipelineConfig('scan', { TABLE_NAME: 't', QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q', BUS_NAME: 'b', RULE_SETTINGS: text as string });
    expect(config.ruleSettings).toEqual(rules);
  });

  it('is not set when the config has no rules', () => {
    expect(parseConfig({}, 'x').rules).toEqual({});
  });

  it('fails the synth on an unknown rule or invalid options, naming the config and the rule', () => {
    expect(() => parseConfig({ rules: { 'no-such-rule': { disabled: true } } }, 'cdk/periscope.config.ts')).toThrow(
      /cdk\/periscope\.config\.ts is not a valid Periscope configuration:\n {2}rules\.no-such-rule: no such rule/,
    );
    expect(() => parseConfig({ rules: { 'eks-version-support': { options: { warnDays: 'soon' } } } }, 'c')).toThrow(/rules\.eks-version-support: options\.warnDays: /);
    expect(() => parseConfig({ rules: { 'eks-version-support': { severity: 'urgent' } } }, 'c')).toThrow(/rules\.eks-version-support\.severity/);
  });

  it('a malformed RULE_SETTINGS fails the cold start with the variable name', () => {
    const env = { TABLE_NAME: 't', QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q', BUS_NAME: 'b' };
    expect(() => readPipelineConfig('scan', { ...env, RULE_SETTINGS: '{"x": {"disabled": "yes"}}' })).toThrow(/RULE_SETTINGS: not a JSON object/);
    expect(() => readPipelineConfig('scan', { ...env, RULE_SETTINGS: 'nope' })).toThrow(/RULE_SETTINGS/);
    expect(readPipelineConfig('scan', env).ruleSettings).toBeUndefined();
  });
});
