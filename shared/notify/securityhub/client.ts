// Security Hub CSPM through the AWS SDK: BatchImportFindings and BatchUpdateFindings, one request each, with what
// failed per finding and a typed error (retryable or not) when the whole request fails. The SDK's own retries
// (throttling, 5xx) run first; the use case (pipeline/notify-securityhub.ts) retries what is left.
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubServiceException,
  type AwsSecurityFinding,
  type SecurityHubClient,
  type WorkflowStatus,
} from '@aws-sdk/client-securityhub';
import { asffLimits } from './asff.ts';

/** One finding Security Hub did not take, with its reason. */
export interface FindingFailure {
  id: string;
  code: string;
  message: string;
}

export interface WorkflowUpdate {
  ids: readonly string[];
  productArn: string;
  status: WorkflowStatus;
  /** Shown on the findings in Security Hub (Note.Text); one note per request. */
  note?: string;
}

/** A request Security Hub refused as a whole. `retryable`: throttling, a server error or the network. */
export class SecurityHubError extends Error {
  override readonly name = 'SecurityHubError';
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, details: { code: string; retryable: boolean; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.retryable = details.retryable;
  }
}

const hints: Record<string, string> = {
  InvalidAccessException: 'Security Hub CSPM is not enabled in this account and region: enable it, then the events are retried from the dead-letter queue',
  AccessDeniedException: "the function's role may not call this Security Hub action on the default product ARN",
  InvalidInputException: 'a finding does not match the ASFF (see the error message)',
};

function failureOf(operation: string, error: unknown): SecurityHubError {
  const code = error instanceof SecurityHubServiceException ? error.name : error instanceof Error ? error.name : 'Error';
  const status = error instanceof SecurityHubServiceException ? error.$metadata.httpStatusCode : undefined;
  const throttled = code === 'ThrottlingException' || code === 'TooManyRequestsException' || code === 'LimitExceededException' || status === 429;
  const retryable = throttled || status === undefined || status >= 500;
  const reason = error instanceof Error ? error.message : String(error);
  const hint = hints[code] ?? (retryable ? 'Security Hub is throttling or unavailable; the findings are retried' : 'see the error');
  return new SecurityHubError(`Security Hub ${operation} failed (${code}${status ? `, HTTP ${status}` : ''}): ${reason}. ${hint}.`, { code, retryable, cause: error });
}

function checkBatch(operation: string, count: number): void {
  if (count > asffLimits.findingsPerRequest) {
    throw new SecurityHubError(`Security Hub ${operation} takes at most ${asffLimits.findingsPerRequest} findings per request, not ${count}.`, { code: 'TooManyFindings', retryable: false });
  }
}

export class SecurityHubFindings {
  readonly #client: SecurityHubClient;

  constructor(client: SecurityHubClient) {
    this.#client = client;
  }

  /** Imports (creates or updates) up to 100 findings; answers the ones that failed. */
  async importFindings(findings: readonly AwsSecurityFinding[]): Promise<FindingFailure[]> {
    checkBatch('BatchImportFindings', findings.length);
    if (findings.length === 0) return [];
    try {
      const out = await this.#client.send(new BatchImportFindingsCommand({ Findings: [...findings] }));
      return (out.FailedFindings ?? []).map((f) => ({ id: f.Id ?? '', code: f.ErrorCode ?? 'Unknown', message: f.ErrorMessage ?? '' }));
    } catch (error) {
      throw failureOf('BatchImportFindings', error);
    }
  }

  /** Sets the workflow status (and a note) of up to 100 findings; answers the ones not processed. */
  async updateWorkflow(update: WorkflowUpdate): Promise<FindingFailure[]> {
    checkBatch('BatchUpdateFindings', update.ids.length);
    if (update.ids.length === 0) return [];
    try {
      const out = await this.#client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: update.ids.map((Id) => ({ Id, ProductArn: update.productArn })),
          Workflow: { Status: update.status },
          ...(update.note ? { Note: { Text: update.note, UpdatedBy: 'periscope' } } : {}),
        }),
      );
      return (out.UnprocessedFindings ?? []).map((f) => ({
        id: f.FindingIdentifier?.Id ?? '',
        code: f.ErrorCode ?? 'Unknown',
        message: f.ErrorMessage ?? '',
      }));
    } catch (error) {
      throw failureOf('BatchUpdateFindings', error);
    }
  }
}
