import { describe } from 'vitest';
import rule from '../../../shared/rules/cluster/eks-version-support.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

const at = (version: string, takenAt: string, extra = {}) => eksSnapshot(clusterInfo({ version }, extra), takenAt);

ruleTester.run(rule, {
  valid: [
    { name: '1.33 in January 2026: standard support until 2026-07-29', snapshot: at('1.33', '2026-01-15T06:00:00Z') },
    { name: '1.32 exactly 91 days before the end of standard support', snapshot: at('1.32', '2025-12-22T00:00:00Z') },
    {
      name: 'the API answer wins over the calendar (a later date)',
      snapshot: at('1.32', '2026-03-01T00:00:00Z', {
        versionSupport: { clusterVersion: '1.32', status: 'standard-support', endOfStandardSupportDate: '2026-09-01', endOfExtendedSupportDate: '2027-09-01' },
      }),
    },
    { name: 'a version the calendar does not know yet', snapshot: at('1.36', '2026-01-15T00:00:00Z') },
  ],
  invalid: [
    {
      name: '1.32 within 90 days of the end of standard support (calendar)',
      snapshot: at('1.32', '2026-01-15T06:00:00Z'),
      findings: [
        { messageId: 'endingSoon', data: { cluster: 'prod', version: '1.32', days: 66, date: '2026-03-23' }, path: 'version', resource: clusterResource, severity: 'low' },
      ],
    },
    {
      name: '1.31 in extended support (calendar)',
      snapshot: at('1.31', '2026-01-15T06:00:00Z'),
      findings: [
        {
          messageId: 'extended',
          data: { cluster: 'prod', version: '1.31', date: '2025-11-26', extendedEnd: '2026-11-26' },
          path: 'version',
          resource: clusterResource,
          severity: 'medium',
        },
      ],
    },
    {
      name: 'the API says extended support',
      snapshot: at('1.30', '2025-08-01T00:00:00Z', {
        versionSupport: { clusterVersion: '1.30', status: 'extended-support', endOfStandardSupportDate: '2025-07-23', endOfExtendedSupportDate: '2026-07-23' },
      }),
      findings: [{ messageId: 'extended', path: 'version', resource: clusterResource, severity: 'medium' }],
    },
    {
      name: '1.28 after the end of extended support',
      snapshot: at('1.28', '2026-01-15T06:00:00Z'),
      findings: [{ messageId: 'unsupported', data: { cluster: 'prod', version: '1.28', date: '2025-11-26' }, path: 'version', resource: clusterResource }],
    },
    {
      name: 'older than every calendar entry',
      snapshot: at('1.24', '2026-01-15T06:00:00Z'),
      findings: [{ messageId: 'unsupported', data: { cluster: 'prod', version: '1.24', date: 'an earlier date' }, path: 'version', resource: clusterResource }],
    },
  ],
});

describe('eks-version-support warnDays', () => {
  ruleTester.run(rule, {
    valid: [
      { name: '1.32 66 days before the end of standard support, warnDays 30', snapshot: at('1.32', '2026-01-15T06:00:00Z'), settings: { options: { warnDays: 30 } } },
    ],
    invalid: [
      {
        name: '1.33 194 days before the end of standard support, warnDays 200',
        snapshot: at('1.33', '2026-01-15T06:00:00Z'),
        settings: { options: { warnDays: 200 } },
        findings: [{ messageId: 'endingSoon', data: { cluster: 'prod', version: '1.33', days: 194, date: '2026-07-29' }, path: 'version', resource: clusterResource, severity: 'low' }],
      },
    ],
  });
});
