// Writes the JSON schemas of Periscope's events (and of the ScanRequest on the queue) into events/schemas/,
// generated from the zod schemas in shared/model/pipeline.ts. `node scripts/event-schemas.ts`; a test fails
// when the files on disk differ from what this would write.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { repoRoot } from '../cdk/bundling.ts';
import { eventDetailTypes, findingEventSchema, scanCompletedSchema, scanRequestSchema } from '../shared/model/pipeline.ts';

export const schemasDir = path.join(repoRoot, 'events', 'schemas');

/** File name → JSON schema text. */
export function eventSchemaFiles(): Record<string, string> {
  const document = (file: string, title: string, description: string, schema: z.ZodType) =>
    JSON.stringify(
      {
        $id: `https://periscope.dev/schemas/${file}`,
        title,
        description,
        ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }),
      },
      null,
      2,
    ) + '\n';
  return {
    'scan-completed.schema.json': document(
      'scan-completed.schema.json',
      `${eventDetailTypes.scanCompleted} (detail)`,
      'EventBridge detail of source "periscope", detail-type "Scan Completed": one per scan of one cluster.',
      scanCompletedSchema,
    ),
    'finding-opened.schema.json': document(
      'finding-opened.schema.json',
      `${eventDetailTypes.findingOpened} (detail)`,
      'EventBridge detail of source "periscope", detail-type "Finding Opened": a new, reopened or unsuppressed finding.',
      findingEventSchema,
    ),
    'finding-resolved.schema.json': document(
      'finding-resolved.schema.json',
      `${eventDetailTypes.findingResolved} (detail)`,
      'EventBridge detail of source "periscope", detail-type "Finding Resolved"; `reason` is set when no fix was seen ("cluster deleted").',
      findingEventSchema,
    ),
    'finding-suppressed.schema.json': document(
      'finding-suppressed.schema.json',
      `${eventDetailTypes.findingSuppressed} (detail)`,
      'EventBridge detail of source "periscope", detail-type "Finding Suppressed": a finding an exception covers from this scan on (its `suppression` says why).',
      findingEventSchema,
    ),
    'scan-request.schema.json': document(
      'scan-request.schema.json',
      'ScanRequest',
      'Body of a message on the scan queue: one cluster to scan.',
      scanRequestSchema,
    ),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await mkdir(schemasDir, { recursive: true });
  for (const [file, text] of Object.entries(eventSchemaFiles())) {
    await writeFile(path.join(schemasDir, file), text);
    console.log(`wrote events/schemas/${file}`);
  }
}
