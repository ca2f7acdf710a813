// What one scan has to tell Slack: nothing without new findings at the threshold; rules named from the shipped
// catalogue and clusters linked to the EKS console unless configured otherwise.
import { describe, expect, it } from 'vitest';
import { registryCatalogue } from '../../shared/notify/digest.ts';
import { scanDigestOf } from '../../shared/pipeline/scan-digest.ts';
import { finding, scanCompleted, testCatalogue } from '../notify/support.ts';

describe('scanDigestOf', () => {
  it('has nothing to say about a rescan without new findings at the threshold', () => {
    expect(scanDigestOf(scanCompleted({ opened: [finding({ ruleId: 'run-as-non-root', name: 'x' })] }), { minSeverity: 'high', catalogue: testCatalogue })).toBeUndefined();
    expect(scanDigestOf(scanCompleted({ resolved: [finding()] }), { minSeverity: 'high' })).toBeUndefined();
  });

  it('names rules from the shipped catalogue by default, and links EKS clusters to the console', () => {
    const digest = scanDigestOf(scanCompleted({ opened: [finding()] }), { minSeverity: 'high' });
    if (!digest || digest.kind !== 'findings') throw new Error('expected findings');
    expect(digest.groups[0]?.rule.title).toBe(registryCatalogue('privileged-container')?.title);
    expect(digest.clusterUrl).toBe('https://eu-west-1.console.aws.amazon.com/eks/clusters/prod?region=eu-west-1');
    const custom = scanDigestOf(scanCompleted({ opened: [finding()] }), { minSeverity: 'high', links: { clusterUrl: 'https://periscope.example.com/c/{accountId}/{region}/{name}' } });
    expect(custom?.clusterUrl).toBe('https://periscope.example.com/c/111122223333/eu-west-1/prod');
  });
});
