// A Periscope finding in the AWS Security Finding Format (ASFF, schema 2018-10-08), as Security Hub CSPM's
// BatchImportFindings takes it from a custom integration (the account's default product). Pure: no I/O, no clock.
import type { AwsSecurityFinding, Partition, Resource, SeverityLabel, WorkflowStatus } from '@aws-sdk/client-securityhub';
import { frameworks } from '../../engine/frameworks.ts';
import type { Finding, FindingStatus, FrameworkIds, Severity } from '../../model/finding.ts';
import type { EventCluster, RuleInfo } from '../digest.ts';

export const asffSchemaVersion = '2018-10-08';

/**
 * The limits the ASFF and the API put on what Periscope writes (AwsSecurityFinding in @aws-sdk/client-securityhub,
 * "AWS Security Finding Format" in the Security Hub CSPM user guide). Lengths are UTF-16 code units, which is never
 * fewer than the characters the API counts.
 */
export const asffLimits = {
  /** BatchImportFindings and BatchUpdateFindings: findings per request. */
  findingsPerRequest: 100,
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  types: 50,
  resources: 32,
  resourceType: 256,
  resourceId: 512,
  /** Resource.Details.Other and UserDefinedFields: pairs, key and value lengths. */
  otherPairs: 50,
  otherKey: 128,
  otherValue: 1024,
  /** ProductFields. */
  productFieldPairs: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  relatedRequirements: 32,
  recommendationText: 512,
  /** BatchUpdateFindings Note.Text and Note.UpdatedBy. */
  noteText: 512,
  noteUpdatedBy: 128,
} as const;

/** The five namespaces a finding type may start with (ASFF Types taxonomy). */
export const asffTypeNamespaces = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'] as const;

const ellipsis = '…';

/** `text` cut to at most `max` UTF-16 code units, never inside a surrogate pair, marked with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ellipsis.length;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return text.slice(0, Math.max(0, cut)) + ellipsis;
}

/** An identifier kept within `max`: when too long, a readable prefix and the fingerprint keep it unique and stable. */
function boundedId(id: string, max: number, fingerprint: string): string {
  if (id.length <= max) return id;
  const suffix = `#${fingerprint}`;
  return truncate(id, max - suffix.length).replace(new RegExp(`${ellipsis}$`), '') + suffix;
}

export interface DefaultProduct {
  partition: string;
  region: string;
  accountId: string;
}

/** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`: the product of a custom integration. */
export function defaultProductArn(product: DefaultProduct): string {
  return `arn:${product.partition}:securityhub:${product.region}:${product.accountId}:product/${product.accountId}/default`;
}

const productArnPattern = /^arn:(aws[a-z-]*):securityhub:([a-z0-9-]+):(\d{12}):product\/(\d{12})\/default$/;

/** The parts of a default product ARN, or an error saying what the ARN should look like. */
export function parseDefaultProductArn(arn: string): DefaultProduct {
  const match = productArnPattern.exec(arn);
  if (!match || match[3] !== match[4]) {
    throw new Error(`"${arn}" is not a Security Hub default product ARN (arn:<partition>:securityhub:<region>:<account>:product/<account>/default).`);
  }
  return { partition: match[1]!, region: match[2]!, accountId: match[3]! };
}

const severityLabels: Record<Severity, SeverityLabel> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

const workflowOf: Record<FindingStatus, WorkflowStatus> = { OPEN: 'NEW', RESOLVED: 'RESOLVED', SUPPRESSED: 'SUPPRESSED' };

/** The Security Hub workflow status a finding of this status should be in. */
export function workflowStatusOf(status: FindingStatus): WorkflowStatus {
  return workflowOf[status];
}

/** Names of the frameworks' controls as Security Hub shows them: `OWASP Kubernetes Top 10 (2022) K01`. */
export function relatedRequirementsOf(ids: FrameworkIds): string[] {
  const out: string[] = [];
  for (const [framework, controls] of Object.entries(ids)) {
    const title = frameworks.find((f) => f.id === framework)?.title ?? framework;
    for (const control of controls) out.push(`${title} ${control}`);
  }
  return out.slice(0, asffLimits.relatedRequirements);
}

const standardClassifiers: Record<string, string> = {
  'owasp-k8s-2022': 'OWASP Kubernetes Top 10',
  'cis-eks-1.8': 'CIS Amazon EKS Benchmark',
  pss: 'Kubernetes Pod Security Standards',
  'nsa-cisa': 'NSA-CISA Kubernetes Hardening Guidance',
};

/** `Software and Configuration Checks/Industry and Regulatory Standards/<standard>` per framework, plus the domain. */
export function findingTypesOf(rule: Pick<RuleInfo, 'domain'>, ids: FrameworkIds): string[] {
  const types = [`Software and Configuration Checks/Kubernetes/${rule.domain}`];
  for (const framework of Object.keys(ids)) {
    const classifier = standardClassifiers[framework];
    if (classifier) types.push(`Software and Configuration Checks/Industry and Regulatory Standards/${classifier}`);
  }
  return [...new Set(types)].slice(0, asffLimits.types);
}

function partitionOf(arn: string | undefined, fallback: string): Partition {
  const partition = arn?.split(':')[1] ?? fallback;
  return partition as Partition;
}

const otherLimits = { pairs: asffLimits.otherPairs, key: asffLimits.otherKey, value: asffLimits.otherValue };
const productFieldLimits = { pairs: asffLimits.productFieldPairs, key: asffLimits.productFieldKey, value: asffLimits.productFieldValue };

function boundedPairs(pairs: Record<string, string | undefined>, limits: { pairs: number; key: number; value: number }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(pairs)) {
    if (value === undefined || value === '') continue;
    if (Object.keys(out).length >= limits.pairs) break;
    out[truncate(key, limits.key)] = truncate(value, limits.value);
  }
  return out;
}

/** The EKS cluster (AwsEksCluster, by ARN) and the Kubernetes object (Other, with its coordinates in Details.Other). */
function resourcesOf(finding: Finding, cluster: EventCluster, product: DefaultProduct): Resource[] {
  const partition = partitionOf(cluster.arn, product.partition);
  const region = truncate(cluster.region ?? product.region, 16);
  const clusterResource: Resource = cluster.arn
    ? {
        Type: 'AwsEksCluster',
        Id: boundedId(cluster.arn, asffLimits.resourceId, finding.fingerprint),
        Partition: partition,
        Region: region,
        Details: { AwsEksCluster: { Arn: cluster.arn, Name: cluster.name } },
      }
    : {
        Type: 'Other',
        Id: boundedId(cluster.id, asffLimits.resourceId, finding.fingerprint),
        Partition: partition,
        Region: region,
        Details: { Other: boundedPairs({ cluster: cluster.name }, otherLimits) },
      };
  const { apiVersion, kind, namespace, name, container } = finding.resource;
  const objectId = `${cluster.arn ?? cluster.id}/${namespace ?? '-'}/${kind}/${name}${container ? `/${container}` : ''}`;
  const object: Resource = {
    Type: 'Other',
    Id: boundedId(objectId, asffLimits.resourceId, finding.fingerprint),
    Partition: partition,
    Region: region,
    Details: {
      Other: boundedPairs({ cluster: cluster.name, apiVersion, kind, namespace, name, container, path: finding.path }, otherLimits),
    },
  };
  return [clusterResource, object];
}

export interface AsffInput {
  finding: Finding;
  cluster: EventCluster;
  rule: RuleInfo;
  /** The account's default product (where BatchImportFindings is called). */
  product: DefaultProduct;
  scanId?: string;
  /** Link to the rule's documentation (`<docs>#<rule-id>`). */
  ruleUrl?: string;
}

/** When the finding last changed: resolved, or last seen (opened, reopened, suppressed). */
export function changedAtOf(finding: Finding): string {
  return finding.status === 'RESOLVED' && finding.resolvedAt ? finding.resolvedAt : finding.lastSeenAt;
}

/**
 * One ASFF finding. `Id` is the fingerprint, so a re-import updates the same finding and never adds another; a
 * resolved finding is re-imported ARCHIVED with Compliance PASSED. `Workflow` is honoured on creation only; later
 * changes go through BatchUpdateFindings (pipeline/notify-securityhub.ts).
 */
export function toAsff(input: AsffInput): AwsSecurityFinding {
  const { finding, cluster, rule, product } = input;
  const label = severityLabels[finding.severity];
  const types = findingTypesOf(rule, finding.frameworks);
  const where = finding.resource.namespace ? `${finding.resource.namespace}/${finding.resource.name}` : finding.resource.name;
  const title = truncate(`${rule.title}: ${finding.resource.kind} ${where} in ${cluster.name}`, asffLimits.title);
  const description = truncate(finding.message, asffLimits.description);
  const recommendation: { Text: string; Url?: string } = {
    Text: truncate(finding.fix ? `${finding.fix.description}. ${rule.remediation}` : rule.remediation, asffLimits.recommendationText),
  };
  if (input.ruleUrl) recommendation.Url = input.ruleUrl;
  const requirements = relatedRequirementsOf(finding.frameworks);
  const createdAt = finding.firstSeenAt <= changedAtOf(finding) ? finding.firstSeenAt : changedAtOf(finding);
  return {
    SchemaVersion: asffSchemaVersion,
    Id: finding.fingerprint,
    ProductArn: defaultProductArn(product),
    GeneratorId: boundedId(finding.ruleId, asffLimits.generatorId, finding.fingerprint),
    AwsAccountId: product.accountId,
    Types: types,
    CreatedAt: createdAt,
    UpdatedAt: changedAtOf(finding),
    FirstObservedAt: finding.firstSeenAt,
    LastObservedAt: finding.lastSeenAt,
    Severity: { Label: label, Original: finding.severity },
    // What the provider says about severity and types after creation (BatchImportFindings ignores the top-level ones then).
    FindingProviderFields: { Severity: { Label: label, Original: finding.severity }, Types: types },
    Title: title,
    Description: description,
    Remediation: { Recommendation: recommendation },
    ProductFields: boundedPairs(
      {
        'periscope/fingerprint': finding.fingerprint,
        'periscope/ruleId': finding.ruleId,
        'periscope/clusterId': finding.clusterId,
        'periscope/scanId': input.scanId,
        'periscope/status': finding.status,
        'periscope/suppression': finding.suppression ? `${finding.suppression.reason} (${finding.suppression.source}${finding.suppression.owner ? `, owner ${finding.suppression.owner}` : ''})` : undefined,
      },
      productFieldLimits,
    ),
    Resources: resourcesOf(finding, cluster, product).slice(0, asffLimits.resources),
    Compliance: {
      Status: finding.status === 'RESOLVED' ? 'PASSED' : 'FAILED',
      ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}),
    },
    Workflow: { Status: workflowStatusOf(finding.status) },
    RecordState: finding.status === 'RESOLVED' ? 'ARCHIVED' : 'ACTIVE',
  };
}

/** `items` in consecutive slices of at most `size`. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
