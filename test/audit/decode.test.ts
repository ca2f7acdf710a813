import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  AuditPayloadError,
  auditEventsOf,
  clusterNameOfLogGroup,
  decodeSubscriptionData,
  parseAuditMessage,
  readAuditLog,
  type AuditLogRecord,
} from '../../shared/audit/decode.ts';
import { fixturesDir, rawEvent } from './events.ts';

function payload(logEvents: { id: string; timestamp: number; message: string }[], messageType = 'DATA_MESSAGE'): Record<string, unknown> {
  return {
    messageType,
    owner: '111122223333',
    logGroup: '/aws/eks/prod/cluster',
    logStream: 'kube-apiserver-audit-4f1c0b8e9d2a7c63a1b5e0f9d8c7b6a5',
    subscriptionFilters: ['periscope-audit'],
    logEvents,
  };
}

const encode = (value: unknown): string => gzipSync(Buffer.from(JSON.stringify(value))).toString('base64');

function decodeError(data: string): AuditPayloadError {
  try {
    decodeSubscriptionData(data);
  } catch (error) {
    if (error instanceof AuditPayloadError) return error;
    throw error;
  }
  throw new Error('decoded');
}

async function records(chunks: AsyncIterable<string | Uint8Array> | Iterable<string>): Promise<AuditLogRecord[]> {
  const all: AuditLogRecord[] = [];
  for await (const record of readAuditLog(Readable.from(chunks))) all.push(record);
  return all;
}

describe('decodeSubscriptionData', () => {
  it('decodes awslogs.data and parses each log event into an audit event', () => {
    const exec = rawEvent('exec-started');
    const decoded = decodeSubscriptionData(encode(payload([{ id: '1', timestamp: 1, message: JSON.stringify(exec) }])));
    expect(decoded.logGroup).toBe('/aws/eks/prod/cluster');
    const batch = auditEventsOf(decoded);
    expect(batch.errors).toEqual([]);
    expect(batch.events).toHaveLength(1);
    expect(batch.events[0]).toMatchObject({ auditID: exec['auditID'], verb: 'create', objectRef: { subresource: 'exec' } });
  });

  it('rejects a truncated gzip, non-base64, non-JSON and a wrong shape with the layer that is broken', () => {
    const good = encode(payload([]));
    const truncated = Buffer.from(good, 'base64').subarray(0, 20).toString('base64');
    expect(decodeError(truncated)).toMatchObject({ reason: 'gzip', message: expect.stringContaining('truncated') });
    expect(decodeError('not base64!')).toMatchObject({ reason: 'base64' });
    expect(decodeError(gzipSync(Buffer.from('{"messageType": ')).toString('base64'))).toMatchObject({ reason: 'json' });
    expect(decodeError(encode({ messageType: 'DATA_MESSAGE', logEvents: 'none' }))).toMatchObject({
      reason: 'shape',
      message: expect.stringContaining('owner'),
    });
  });

  it('skips a CONTROL_MESSAGE', () => {
    const decoded = decodeSubscriptionData(encode(payload([{ id: '1', timestamp: 1, message: 'CWL CONTROL MESSAGE: Checking health of destination' }], 'CONTROL_MESSAGE')));
    expect(auditEventsOf(decoded)).toEqual({ events: [], errors: [] });
  });

  it('turns a non-audit line into an error for that line only, never quoting it', () => {
    const secretLine = 'I1202 10:02:05 httplog.go:132] password=hunter2';
    const batch = auditEventsOf(
      decodeSubscriptionData(
        encode(
          payload([
            { id: 'a', timestamp: 1, message: secretLine },
            { id: 'b', timestamp: 2, message: JSON.stringify(rawEvent('delete-webhook')) },
            { id: 'c', timestamp: 3, message: JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get' }) },
          ]),
        ),
      ),
    );
    expect(batch.events.map((event) => event.verb)).toEqual(['delete']);
    expect(batch.errors).toHaveLength(2);
    expect(batch.errors[0]).toMatchObject({ where: expect.stringContaining('id a'), message: expect.stringContaining('not JSON') });
    expect(batch.errors[1]!.message).toMatch(/not a valid audit.k8s.io\/v1 Event: .*auditID/);
    expect(JSON.stringify(batch.errors)).not.toContain('hunter2');
  });
});

describe('parseAuditMessage', () => {
  it('accepts Metadata and RequestResponse levels and tolerates unknown fields', () => {
    const metadata = parseAuditMessage(JSON.stringify(rawEvent('delete-webhook', { futureField: { x: 1 } })));
    const full = parseAuditMessage(JSON.stringify(rawEvent('cluster-admin-binding')));
    expect('event' in metadata && metadata.event.level).toBe('Metadata');
    expect('event' in full && full.event.level).toBe('RequestResponse');
    expect('event' in full && full.event.responseObject).toMatchObject({ roleRef: { name: 'cluster-admin' } });
  });

  it('refuses an event whose times are not RFC 3339, saying which field', () => {
    const parsed = parseAuditMessage(JSON.stringify(rawEvent('delete-webhook', { stageTimestamp: 'yesterday' })));
    expect(parsed).toEqual({ error: expect.stringMatching(/^not a valid audit.k8s.io\/v1 Event: stageTimestamp: /) });
  });

  it('says when JSON is not an audit event', () => {
    expect(parseAuditMessage('{"kind":"Pod"}')).toEqual({ error: 'not an audit event (no "kind": "Event")' });
  });
});

describe('clusterNameOfLogGroup', () => {
  it('reads the cluster from /aws/eks/<cluster>/cluster and nothing else', () => {
    expect(clusterNameOfLogGroup('/aws/eks/prod-eu/cluster')).toBe('prod-eu');
    expect(clusterNameOfLogGroup('/aws/lambda/prod')).toBeUndefined();
    expect(clusterNameOfLogGroup('/aws/eks/a/b/cluster')).toBeUndefined();
  });
});

describe('readAuditLog', () => {
  it('reads JSON lines from a file, a non-audit line an error with its line number', async () => {
    const all = await records(createReadStream(join(fixturesDir, 'session.jsonl'), { highWaterMark: 1000 }));
    expect(all).toHaveLength(12);
    const errors = all.filter((record) => 'error' in record);
    expect(errors).toEqual([{ where: 'line 5', line: 5, error: expect.stringContaining('not JSON') }]);
    expect(all.filter((record) => 'event' in record)).toHaveLength(11);
  });

  it('reads `aws logs filter-log-events` JSON output', async () => {
    const all = await records(createReadStream(join(fixturesDir, 'filter-log-events.json'), { highWaterMark: 512 }));
    expect(all).toHaveLength(11);
    expect(all.every((record) => 'event' in record)).toBe(true);
    expect(all[0]!.where).toMatch(/^events\[0\] \(eventId \d+\)$/);
  });

  it('reads lines split across chunks anywhere, CRLF and the CloudWatch export timestamp prefix', async () => {
    const line = JSON.stringify(rawEvent('exec-started'));
    const text = `\r\n2026-12-02T10:02:11.201Z ${line}\r\n${line}`;
    const chunks = [...text].map((c) => c); // one character a chunk
    const all = await records(chunks);
    expect(all.map((record) => ('event' in record ? record.line : record.error))).toEqual([2, 3]);
  });

  it('reports malformed filter-log-events JSON with its line and keeps what came before', async () => {
    const message = JSON.stringify(JSON.stringify(rawEvent('exec-started')));
    const text = `{\n  "events": [\n    {"message": ${message}}\n  ],\n  "nextToken": \n}\n{"events": [`;
    const all = await records([text]);
    expect(all[0]).toMatchObject({ where: 'events[0]' });
    expect('event' in all[0]!).toBe(true);
    expect(all.at(-1)).toMatchObject({ line: 6, error: expect.stringContaining('malformed JSON') });
  });
});
