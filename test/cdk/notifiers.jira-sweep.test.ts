// The Jira sweep schedule: EventBridge Scheduler invokes notify-jira with the sweep input at the configured rate
// (default hourly), beside the Scan Completed rule whose severity filter stays as it is; cdk-nag stays clean.
import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../cdk/config.ts';
import { jiraSweepEvent } from '../../shared/pipeline/notify-jira.ts';
import { synthScanner } from './synth.ts';

const jira = { secretName: 'periscope/jira', projectKey: 'SEC', minSeverity: 'critical' as const };

function jiraFunctionLogicalId(template: ReturnType<typeof synthScanner>['template']): string {
  const functions = template.findResources('AWS::Lambda::Function');
  const id = Object.keys(functions).find((key) => JSON.stringify(functions[key]).includes('JIRA_SETTINGS'));
  if (!id) throw new Error('no notify-jira function in the template');
  return id;
}

describe('Jira sweep schedule', () => {
  const { template, assembly } = synthScanner({ jira });

  it('invokes notify-jira hourly with the sweep input, failures to its dead-letter queue', () => {
    const fn = jiraFunctionLogicalId(template);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: {
        Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
        Input: JSON.stringify(jiraSweepEvent),
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      },
    });
  });

  it('keeps the severity filter on the Scan Completed rule and the sweep rate out of the Jira settings', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        'detail-type': ['Scan Completed'],
        detail: { $or: Match.arrayWith([{ opened: { severity: ['critical'] } }, { resolved: { severity: ['critical'] } }]) },
      }),
    });
    const fn = template.findResources('AWS::Lambda::Function')[jiraFunctionLogicalId(template)] as { Properties: { Environment: { Variables: Record<string, string> } } };
    expect(JSON.parse(fn.Properties.Environment.Variables.JIRA_SETTINGS ?? '{}')).not.toHaveProperty('sweepRate');
  });

  it('is cdk-nag clean', () => {
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('takes the configured rate, and refuses one EventBridge Scheduler would not', () => {
    const { template: daily } = synthScanner({ jira: { ...jira, sweepRate: 'rate(30 minutes)' } });
    daily.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(30 minutes)', Target: Match.objectLike({ Input: JSON.stringify(jiraSweepEvent) }) });
    expect(() => parseConfig({ jira: { ...jira, sweepRate: 'every hour' } }, 'test config')).toThrow(/jira\.sweepRate: a rate such as rate\(1 hour\)/);
    expect(() => parseConfig({ jira: { ...jira, sweepRate: 'rate(1 hours)' } }, 'test config')).toThrow(/jira\.sweepRate/);
  });

  it('has no sweep without Jira', () => {
    const { template: none } = synthScanner({});
    expect(JSON.stringify(none.findResources('AWS::Scheduler::Schedule'))).not.toContain('jira-sweep');
  });
});
