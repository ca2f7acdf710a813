import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventDetailSchemas, eventSource, scanRequestSchema } from '../../shared/model/pipeline.ts';
import { eventSchemaFiles, schemasDir } from '../../scripts/event-schemas.ts';
import { eventsDir, sample } from '../pipeline/samples.ts';

describe('events/', () => {
  it('the JSON schemas on disk are the ones generated from shared/model/pipeline.ts (node scripts/event-schemas.ts)', () => {
    for (const [file, text] of Object.entries(eventSchemaFiles())) {
      expect(readFileSync(path.join(schemasDir, file), 'utf8'), file).toBe(text);
    }
  });

  it.each(['periscope-scan-completed.json', 'periscope-finding-opened.json', 'periscope-finding-resolved.json', 'periscope-finding-suppressed.json'])(
    '%s is a valid Periscope event',
    (file) => {
      const event = sample(file) as { source: string; 'detail-type': keyof typeof eventDetailSchemas; detail: unknown };
      expect(event.source).toBe(eventSource);
      const schema = eventDetailSchemas[event['detail-type']];
      expect(schema, `unknown detail-type ${event['detail-type']}`).toBeDefined();
      expect(() => schema.parse(event.detail)).not.toThrow();
    },
  );

  it('the SQS sample carries a valid ScanRequest', () => {
    const event = sample('sqs-scan-request.json') as { Records: { body: string }[] };
    expect(scanRequestSchema.parse(JSON.parse(event.Records[0]!.body))).toMatchObject({ attempt: 0 });
    expect(readFileSync(path.join(eventsDir, 'sqs-scan-request.json'), 'utf8')).toContain('"eventSource": "aws:sqs"');
  });
});
