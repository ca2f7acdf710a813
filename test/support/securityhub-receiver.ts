// A local Security Hub CSPM for the tests: BatchImportFindings (POST /findings/import) and BatchUpdateFindings
// (PATCH /findings/batchupdate) in the REST-JSON shapes the real SDK client speaks. It checks every finding against
// the ASFF's required fields, types and limits, refuses more than 100 findings per request as the API does, can
// fail chosen findings (FailedFindings / UnprocessedFindings) and throttle whole requests (429 ThrottlingException),
// and keeps the findings by product ARN and Id, so a test sees duplicates and workflow changes.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const severityLabels = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const workflowStatuses = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const recordStates = ['ACTIVE', 'ARCHIVED'];
const complianceStatuses = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const typeNamespaces = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
/** RFC 3339 as the API documents it (fractional seconds optional, Z or an offset). */
const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const maxFindingBytes = 240 * 1024;

type Json = Record<string, unknown>;

/** A received value as text (JSON for anything but a string). */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function str(problems: string[], where: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') problems.push(`${where} must be a string`);
  else if (value.length < min || value.length > max) problems.push(`${where} must be ${min}..${max} characters, not ${value.length}`);
}

function pairs(problems: string[], where: string, value: unknown, count: number, key: number, val: number): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push(`${where} must be a map of strings`);
  const entries = Object.entries(value);
  if (entries.length > count) problems.push(`${where} has ${entries.length} pairs, at most ${count}`);
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > key) problems.push(`${where} key "${k.slice(0, 20)}" must be 1..${key} characters`);
    str(problems, `${where}.${k.slice(0, 20)}`, v, 0, val);
  }
}

/** What is wrong with `finding` as an ASFF finding imported with the default product of `accountId` (empty when nothing). */
export function asffProblems(finding: unknown, accountId?: string): string[] {
  const problems: string[] = [];
  if (typeof finding !== 'object' || finding === null) return ['a finding must be an object'];
  const f = finding as Json;
  if (f.SchemaVersion !== '2018-10-08') problems.push('SchemaVersion must be 2018-10-08');
  str(problems, 'Id', f.Id, 1, 512);
  str(problems, 'ProductArn', f.ProductArn, 12, 2048);
  str(problems, 'GeneratorId', f.GeneratorId, 1, 512);
  if (typeof f.AwsAccountId !== 'string' || !/^\d{12}$/.test(f.AwsAccountId)) problems.push('AwsAccountId must be 12 digits');
  if (accountId !== undefined) {
    if (f.ProductArn !== undefined && !new RegExp(`^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:${accountId}:product/${accountId}/default$`).test(asText(f.ProductArn))) {
      problems.push(`ProductArn must be the default product of account ${accountId}`);
    }
    if (f.AwsAccountId !== accountId) problems.push(`AwsAccountId must be the calling account ${accountId} with the default product`);
  }
  if (!Array.isArray(f.Types) || f.Types.length < 1 || f.Types.length > 50) problems.push('Types must list 1..50 types');
  else {
    for (const type of f.Types) {
      const parts = typeof type === 'string' ? type.split('/') : [];
      if (parts.length < 1 || parts.length > 3 || !typeNamespaces.includes(parts[0] ?? '') || parts.some((p) => p === '')) {
        problems.push(`Types entry "${asText(type)}" must be namespace[/category[/classifier]] with a known namespace`);
      }
    }
  }
  for (const field of ['CreatedAt', 'UpdatedAt']) {
    if (typeof f[field] !== 'string' || !timestamp.test(f[field])) problems.push(`${field} must be an RFC 3339 timestamp`);
  }
  for (const field of ['FirstObservedAt', 'LastObservedAt']) {
    if (f[field] !== undefined && (typeof f[field] !== 'string' || !timestamp.test(f[field]))) problems.push(`${field} must be an RFC 3339 timestamp`);
  }
  if (typeof f.CreatedAt === 'string' && typeof f.UpdatedAt === 'string' && Date.parse(f.UpdatedAt) < Date.parse(f.CreatedAt)) {
    problems.push('UpdatedAt must not be before CreatedAt');
  }
  const severity = f.Severity as Json | undefined;
  if (!severity || !severityLabels.includes(asText(severity.Label))) problems.push('Severity.Label must be one of ' + severityLabels.join(', '));
  str(problems, 'Title', f.Title, 1, 256);
  str(problems, 'Description', f.Description, 1, 1024);
  if (!Array.isArray(f.Resources) || f.Resources.length < 1 || f.Resources.length > 32) problems.push('Resources must list 1..32 resources');
  else {
    f.Resources.forEach((r: unknown, i) => {
      const resource = (r ?? {}) as Json;
      str(problems, `Resources[${i}].Type`, resource.Type, 1, 256);
      str(problems, `Resources[${i}].Id`, resource.Id, 1, 512);
      if (resource.Region !== undefined) str(problems, `Resources[${i}].Region`, resource.Region, 1, 16);
      const details = resource.Details as Json | undefined;
      pairs(problems, `Resources[${i}].Details.Other`, details?.Other, 50, 128, 1024);
      if (resource.Type === 'AwsEksCluster' && details?.AwsEksCluster === undefined) problems.push(`Resources[${i}] AwsEksCluster needs Details.AwsEksCluster`);
    });
  }
  pairs(problems, 'ProductFields', f.ProductFields, 50, 128, 2048);
  pairs(problems, 'UserDefinedFields', f.UserDefinedFields, 50, 128, 1024);
  const compliance = f.Compliance as Json | undefined;
  if (compliance !== undefined) {
    if (!complianceStatuses.includes(asText(compliance.Status))) problems.push('Compliance.Status must be one of ' + complianceStatuses.join(', '));
    const related = compliance.RelatedRequirements;
    if (related !== undefined && (!Array.isArray(related) || related.length > 32 || related.some((r) => typeof r !== 'string'))) {
      problems.push('Compliance.RelatedRequirements must list at most 32 strings');
    }
  }
  const recommendation = (f.Remediation as Json | undefined)?.Recommendation as Json | undefined;
  if (recommendation?.Text !== undefined) str(problems, 'Remediation.Recommendation.Text', recommendation.Text, 1, 512);
  if (recommendation?.Url !== undefined && (typeof recommendation.Url !== 'string' || !/^https?:\/\//.test(recommendation.Url))) problems.push('Remediation.Recommendation.Url must be a URL');
  const workflow = f.Workflow as Json | undefined;
  if (workflow !== undefined && !workflowStatuses.includes(asText(workflow.Status))) problems.push('Workflow.Status must be one of ' + workflowStatuses.join(', '));
  if (f.RecordState !== undefined && !recordStates.includes(asText(f.RecordState))) problems.push('RecordState must be ACTIVE or ARCHIVED');
  if (Buffer.byteLength(JSON.stringify(f)) > maxFindingBytes) problems.push('a finding must not exceed 240 KB');
  return problems;
}

export interface StoredHubFinding {
  finding: Json;
  workflow: string;
  note?: string;
  imports: number;
}

export interface SecurityHubReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Findings by `<ProductArn> <Id>`. */
  readonly findings: Map<string, StoredHubFinding>;
  /** Number of findings in each request, by operation, in order. */
  readonly requests: { operation: 'BatchImportFindings' | 'BatchUpdateFindings'; count: number; status: number }[];
  /** The next `times` requests of any operation answer 429 ThrottlingException. */
  throttle(times: number): void;
  /** The next `times` imports of finding `id` fail with `code` (FailedFindings). */
  failImport(id: string, times: number, code?: string): void;
  /** The next `times` workflow updates of finding `id` come back unprocessed with `code`. */
  failUpdate(id: string, times: number, code?: string): void;
  /** The stored finding with this Id (any product). */
  byId(id: string): StoredHubFinding | undefined;
  stop(): Promise<void>;
}

export async function startSecurityHubReceiver(options: { accountId: string }): Promise<SecurityHubReceiver> {
  const findings = new Map<string, StoredHubFinding>();
  const requests: SecurityHubReceiver['requests'] = [];
  let throttled = 0;
  const importFailures = new Map<string, { times: number; code: string }>();
  const updateFailures = new Map<string, { times: number; code: string }>();

  const take = (failures: Map<string, { times: number; code: string }>, id: string): string | undefined => {
    const failure = failures.get(id);
    if (!failure || failure.times <= 0) return undefined;
    failure.times -= 1;
    return failure.code;
  };

  function batchImport(body: Json): { status: number; body: Json } {
    const list = body.Findings;
    if (!Array.isArray(list)) return { status: 400, body: { __type: 'InvalidInputException', message: 'Findings is required' } };
    if (list.length > 100) return { status: 400, body: { __type: 'InvalidInputException', message: `Findings: at most 100 findings per request, got ${list.length}` } };
    const failed: Json[] = [];
    for (const finding of list as Json[]) {
      const id = asText(finding.Id ?? '');
      const problems = asffProblems(finding, options.accountId);
      if (problems.length > 0) {
        failed.push({ Id: id, ErrorCode: 'InvalidInput', ErrorMessage: `Finding does not adhere to Amazon Finding Format: ${problems.join('; ')}` });
        continue;
      }
      const code = take(importFailures, id);
      if (code) {
        failed.push({ Id: id, ErrorCode: code, ErrorMessage: `injected ${code}` });
        continue;
      }
      const key = `${asText(finding.ProductArn)} ${id}`;
      const known = findings.get(key);
      if (!known) {
        findings.set(key, { finding, workflow: asText((finding.Workflow as Json | undefined)?.Status ?? 'NEW'), imports: 1 });
        continue;
      }
      // An import never sets Workflow of an existing finding; ARCHIVED → ACTIVE resets NOTIFIED/RESOLVED to NEW.
      const reactivated = known.finding.RecordState === 'ARCHIVED' && (finding.RecordState ?? 'ACTIVE') === 'ACTIVE';
      if (reactivated && (known.workflow === 'NOTIFIED' || known.workflow === 'RESOLVED')) known.workflow = 'NEW';
      known.finding = { ...finding, Workflow: { Status: known.workflow } };
      known.imports += 1;
    }
    return { status: 200, body: { FailedCount: failed.length, SuccessCount: list.length - failed.length, FailedFindings: failed } };
  }

  function batchUpdate(body: Json): { status: number; body: Json } {
    const ids = body.FindingIdentifiers;
    if (!Array.isArray(ids) || ids.length === 0) return { status: 400, body: { __type: 'InvalidInputException', message: 'FindingIdentifiers is required' } };
    if (ids.length > 100) return { status: 400, body: { __type: 'InvalidInputException', message: `FindingIdentifiers: at most 100 per request, got ${ids.length}` } };
    const status = (body.Workflow as Json | undefined)?.Status;
    if (status !== undefined && !workflowStatuses.includes(asText(status))) return { status: 400, body: { __type: 'InvalidInputException', message: `Workflow.Status ${asText(status)}` } };
    const note = body.Note as Json | undefined;
    if (note !== undefined) {
      const problems: string[] = [];
      str(problems, 'Note.Text', note.Text, 1, 512);
      str(problems, 'Note.UpdatedBy', note.UpdatedBy, 1, 128);
      if (problems.length > 0) return { status: 400, body: { __type: 'InvalidInputException', message: problems.join('; ') } };
    }
    const processed: Json[] = [];
    const unprocessed: Json[] = [];
    for (const identifier of ids as Json[]) {
      const id = asText(identifier.Id);
      const stored = findings.get(`${asText(identifier.ProductArn)} ${id}`);
      const code = take(updateFailures, id);
      if (code) unprocessed.push({ FindingIdentifier: identifier, ErrorCode: code, ErrorMessage: `injected ${code}` });
      else if (!stored) unprocessed.push({ FindingIdentifier: identifier, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' });
      else {
        if (status !== undefined) stored.workflow = asText(status);
        if (note !== undefined) stored.note = asText(note.Text);
        stored.finding = { ...stored.finding, Workflow: { Status: stored.workflow } };
        processed.push(identifier);
      }
    }
    return { status: 200, body: { ProcessedFindings: processed, UnprocessedFindings: unprocessed } };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: Json) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() };
        if (typeof body.__type === 'string') headers['x-amzn-errortype'] = body.__type;
        response.writeHead(status, headers);
        response.end(JSON.stringify(body));
      };
      const operation = request.method === 'POST' && request.url === '/findings/import' ? 'BatchImportFindings' : request.method === 'PATCH' && request.url === '/findings/batchupdate' ? 'BatchUpdateFindings' : undefined;
      if (!operation) return reply(404, { __type: 'UnknownOperationException', message: `the local Security Hub does not implement ${asText(request.method)} ${asText(request.url)}` });
      if (!asText(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) return reply(403, { __type: 'AccessDeniedException', message: 'requests must be SigV4-signed' });
      let body: Json;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
      } catch {
        return reply(400, { __type: 'InvalidInputException', message: 'the body is not JSON' });
      }
      const count = Array.isArray(body.Findings) ? body.Findings.length : Array.isArray(body.FindingIdentifiers) ? body.FindingIdentifiers.length : 0;
      if (throttled > 0) {
        throttled -= 1;
        requests.push({ operation, count, status: 429 });
        return reply(429, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      }
      const out = operation === 'BatchImportFindings' ? batchImport(body) : batchUpdate(body);
      requests.push({ operation, count, status: out.status });
      return reply(out.status, out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    findings,
    requests,
    throttle: (times) => void (throttled = times),
    failImport: (id, times, code = 'InternalException') => void importFailures.set(id, { times, code }),
    failUpdate: (id, times, code = 'InternalException') => void updateFailures.set(id, { times, code }),
    byId: (id) => [...findings.values()].find((f) => f.finding.Id === id),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
