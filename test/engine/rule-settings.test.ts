import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../shared/engine/rule.ts';
import { RuleSettingsError, runRules, validateRuleSettings } from '../../shared/engine/run.ts';
import privileged from '../../shared/rules/workload/privileged-container.ts';
import { deployment, snapshotOf } from '../support/fixtures.ts';

/** Reports each Deployment whose replicas exceed the `max` option; records the options it was given. */
const seen: unknown[] = [];
const replicasRule = defineRule({
  id: 'too-many-replicas',
  meta: {
    ...privileged.meta,
    targets: ['Deployment'],
    options: z.strictObject({ max: z.number().int().min(1).default(3), label: z.string().optional() }),
    messages: { tooMany: '{{name}} has {{replicas}} replicas, more than {{max}}.' },
  },
  check(object, ctx) {
    seen.push(ctx.options);
    // ctx.options is typed from the schema: max is a number, label string | undefined.
    const max: number = ctx.options.max;
    const replicas = Number((object.spec as { replicas?: number } | undefined)?.replicas ?? 1);
    if (replicas > max) ctx.report({ messageId: 'tooMany', data: { name: object.metadata!.name!, replicas, max }, path: 'spec.replicas' });
  },
});

const requiring = defineRule({
  id: 'needs-list',
  meta: {
    ...privileged.meta,
    targets: ['Deployment'],
    requires: ['option:names'],
    options: z.strictObject({ names: z.array(z.string()).default([]) }),
    messages: { listed: '{{name}} is listed.' },
  },
  check(object, ctx) {
    if (ctx.options.names.includes(object.metadata!.name!)) ctx.report({ messageId: 'listed', data: { name: object.metadata!.name! }, path: 'metadata.name' });
  },
});

const web = deployment({ name: 'web' });
(web.spec as Record<string, unknown>).replicas = 5;
const fiveReplicas = snapshotOf([web]);

describe('rule settings', () => {
  it('gives the check its options with defaults filled in, once validated', () => {
    seen.length = 0;
    expect(runRules(fiveReplicas, [replicasRule]).findings.map((f) => f.message)).toEqual(['web has 5 replicas, more than 3.']);
    expect(seen).toEqual([{ max: 3 }]);
    expect(runRules(fiveReplicas, [replicasRule], { ruleSettings: { 'too-many-replicas': { options: { max: 10 } } } }).findings).toEqual([]);
  });

  it('rejects invalid options before evaluating anything, naming the rule and the field', () => {
    seen.length = 0;
    const run = (options: unknown) => () => runRules(fiveReplicas, [replicasRule], { ruleSettings: { 'too-many-replicas': { options } } });
    expect(run({ max: 'ten' })).toThrow(RuleSettingsError);
    expect(run({ max: 'ten' })).toThrow(/^rule too-many-replicas: options\.max: /);
    expect(run({ maxx: 4 })).toThrow(/rule too-many-replicas: options: .*maxx/);
    expect(seen).toEqual([]);
    let caught: unknown;
    try {
      run({ max: 0 })();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ ruleId: 'too-many-replicas', field: 'options.max' });
    expect(() => runRules(fiveReplicas, [privileged], { ruleSettings: { 'privileged-container': { options: { x: 1 } } } })).toThrow(
      'rule privileged-container: options: this rule takes no options',
    );
  });

  it('reports a disabled rule as skipped and runs the others', () => {
    const result = runRules(fiveReplicas, [replicasRule, requiring], {
      ruleSettings: { 'too-many-replicas': { disabled: true }, 'needs-list': { options: { names: ['web'] } } },
    });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['needs-list']);
    expect(result.skipped).toEqual([{ ruleId: 'too-many-replicas', reason: 'disabled by configuration' }]);
  });

  it('skips a rule that requires an option the settings do not give, saying which setting enables it', () => {
    const result = runRules(fiveReplicas, [requiring], { ruleSettings: { 'needs-list': { severity: 'low' } } });
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([{ ruleId: 'needs-list', reason: expect.stringContaining('set rules.needs-list.options.names') }]);
  });

  it('overrides the default severity but not a severity a rule reports on a finding', () => {
    const reporting = defineRule({
      id: 'two-severities',
      meta: { ...privileged.meta, severity: 'high', targets: ['Deployment'], messages: { plain: 'plain', own: 'own' } },
      check(_object, ctx) {
        ctx.report({ messageId: 'plain', path: 'a' });
        ctx.report({ messageId: 'own', path: 'b', severity: 'critical' });
      },
    });
    const bySeverity = (ruleSettings = {}) =>
      runRules(fiveReplicas, [reporting], { ruleSettings }).findings.map((f) => `${f.message}:${f.severity}`).sort();
    expect(bySeverity()).toEqual(['own:critical', 'plain:high']);
    expect(bySeverity({ 'two-severities': { severity: 'info' } })).toEqual(['own:critical', 'plain:info']);
  });

  it('validates settings against a catalogue: unknown ids, bad severities and bad options', () => {
    const catalogue = [replicasRule, requiring, privileged];
    expect(() => validateRuleSettings(catalogue, { 'too-many-replicas': { options: { max: 2 } }, 'privileged-container': { disabled: true } })).not.toThrow();
    expect(() => validateRuleSettings(catalogue, { 'privileged-containers': { disabled: true } })).toThrow(
      'rule privileged-containers: no such rule',
    );
    expect(() => validateRuleSettings(catalogue, { 'needs-list': { severity: 'urgent' as never } })).toThrow(/^rule needs-list: severity: /);
    expect(() => validateRuleSettings(catalogue, { 'needs-list': { options: { names: 'web' } } })).toThrow(/^rule needs-list: options\.names: /);
    expect(() => validateRuleSettings(catalogue, { 'needs-list': { disable: true } as never })).toThrow(/^rule needs-list: .*disable/);
  });
});
