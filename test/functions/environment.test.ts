// The functions' configuration, read from their environment.
import { describe, expect, it } from 'vitest';
import { readPipelineConfig } from '../../functions/environment.ts';
import { defaultScanSettings } from '../../shared/pipeline/scan-cluster.ts';

const account = '111122223333';
const region = 'eu-west-1';

describe('readPipelineConfig', () => {
  const base = { TABLE_NAME: 't', QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q', BUS_NAME: 'b' };

  it('reads the settings the construct sets', () => {
    const config = readPipelineConfig('scan', {
      ...base,
      DISCOVERY_TARGETS: JSON.stringify([{ accountId: account, region }]),
      STRICT: 'true',
      MAX_WAIT_SECONDS: '600',
      LEASE_TTL_SECONDS: '660',
    });
    expect(config).toMatchObject({ targets: [{ accountId: account, region }], scan: { skipSecrets: true, autoEnrol: false, maxWaitSeconds: 600, leaseTtlMs: 660_000 } });
  });

  it('gives the functions that read no scan settings the scan defaults and no targets', () => {
    expect(readPipelineConfig('cluster-events', { ...base, DISCOVERY_TARGETS: JSON.stringify([{ accountId: account, region }]), STRICT: 'true' })).toEqual({
      tableName: 't',
      queueUrl: base.QUEUE_URL,
      busName: 'b',
      targets: [],
      scan: defaultScanSettings,
    });
    expect(readPipelineConfig('discover', { ...base, DISCOVERY_TARGETS: JSON.stringify([{ accountId: account, region }]) }).targets).toEqual([{ accountId: account, region }]);
  });

  it('names what is missing or malformed', () => {
    expect(() => readPipelineConfig('scan', { QUEUE_URL: 'nope', BUS_NAME: 'b', DISCOVERY_TARGETS: '[{"accountId":"x"}]' })).toThrow(
      /TABLE_NAME: .*QUEUE_URL: .*DISCOVERY_TARGETS: not a JSON list/,
    );
  });

  it('reads the audit-events window (default 60 s, at most SQS’s 900 s) and the scan function’s audit stream flag', () => {
    expect(readPipelineConfig('audit-events', base).rescanWindowSeconds).toBe(60);
    expect(readPipelineConfig('audit-events', { ...base, RESCAN_WINDOW_SECONDS: '5' }).rescanWindowSeconds).toBe(5);
    expect(() => readPipelineConfig('audit-events', { ...base, RESCAN_WINDOW_SECONDS: '901' })).toThrow(/RESCAN_WINDOW_SECONDS/);
    expect(readPipelineConfig('scan', { ...base, AUDIT_STREAM: 'true' }).auditStream).toBe(true);
    expect(readPipelineConfig('scan', base).auditStream).toBeUndefined();
  });
});
