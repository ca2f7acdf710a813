// CloudTrail-delivered EKS events (EventBridge `AWS API Call via CloudTrail`), read defensively: field names
// vary across operations and eras, so every field is optional and the cluster's state is re-read later.
import * as z from 'zod';
import { isRecord } from '../model/kube.ts';
import { clusterArnOf, parseClusterArn, safeDecode } from '../eks/cluster-arn.ts';
import type { ClusterLocation } from '../eks/port.ts';

/** Mutating EKS operations that can change what a scan would find. */
export const clusterChangingEvents = [
  'AssociateAccessPolicy',
  'AssociateEncryptionConfig',
  'AssociateIdentityProviderConfig',
  'CreateAccessEntry',
  'CreateAddon',
  'CreateCluster',
  'CreateFargateProfile',
  'CreateNodegroup',
  'CreatePodIdentityAssociation',
  'DeleteAccessEntry',
  'DeleteAddon',
  'DeleteCluster',
  'DeleteFargateProfile',
  'DeleteNodegroup',
  'DeletePodIdentityAssociation',
  'DisassociateAccessPolicy',
  'DisassociateIdentityProviderConfig',
  'UpdateAccessEntry',
  'UpdateAddon',
  'UpdateClusterConfig',
  'UpdateClusterVersion',
  'UpdateNodegroupConfig',
  'UpdateNodegroupVersion',
  'UpdatePodIdentityAssociation',
] as const;

/** Events that concern an access entry's principal (where the scanner's own auto-enrolment shows up). */
const accessEntryEvents = new Set([
  'CreateAccessEntry',
  'UpdateAccessEntry',
  'DeleteAccessEntry',
  'AssociateAccessPolicy',
  'DisassociateAccessPolicy',
]);

const recordOf = z.record(z.string(), z.unknown());

/** The EventBridge envelope around a CloudTrail record. Only what routing needs is required. */
export const eksCloudTrailEventSchema = z.object({
  id: z.string().optional(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  detail: z.object({
    eventSource: z.string().optional(),
    eventName: z.string(),
    eventID: z.string().optional(),
    eventTime: z.string().optional(),
    awsRegion: z.string().optional(),
    recipientAccountId: z.string().optional(),
    errorCode: z.string().nullish(),
    errorMessage: z.string().nullish(),
    requestParameters: recordOf.nullish(),
    responseElements: recordOf.nullish(),
  }),
});
export type EksCloudTrailEvent = z.infer<typeof eksCloudTrailEventSchema>;

export type ClusterEventAction =
  | { action: 'scan' | 'delete'; cluster: ClusterLocation; eventName: string; eventId?: string; at?: string }
  | { action: 'ignore'; reason: string; eventName: string; eventId?: string };

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/** The cluster name, wherever this event version put it: request first, then the response objects. */
function clusterNameOf(detail: EksCloudTrailEvent['detail']): string | undefined {
  const request = detail.requestParameters ?? undefined;
  const response = detail.responseElements ?? undefined;
  return (
    stringAt(request, 'name') ??
    stringAt(request, 'clusterName') ??
    stringAt(response, 'cluster', 'name') ??
    stringAt(response, 'cluster', 'clusterName') ??
    stringAt(response, 'accessEntry', 'clusterName') ??
    stringAt(response, 'nodegroup', 'clusterName') ??
    stringAt(response, 'addon', 'clusterName') ??
    stringAt(response, 'fargateProfile', 'clusterName') ??
    stringAt(response, 'association', 'clusterName') ??
    stringAt(response, 'update', 'clusterName')
  );
}

/** Decides what an EKS CloudTrail event means for Periscope. `ownPrincipalArn` is the scanner's role:
 * its own auto-enrolment must not trigger another scan. */
export function interpretClusterEvent(event: EksCloudTrailEvent, ownPrincipalArn?: string): ClusterEventAction {
  const { detail } = event;
  const eventName = detail.eventName;
  const base = detail.eventID === undefined ? { eventName } : { eventName, eventId: detail.eventID };
  if (event.source !== 'aws.eks' || (detail.eventSource !== undefined && detail.eventSource !== 'eks.amazonaws.com')) {
    return { action: 'ignore', reason: `not an EKS event (source ${event.source})`, ...base };
  }
  if (!(clusterChangingEvents as readonly string[]).includes(eventName)) {
    return { action: 'ignore', reason: `${eventName} does not change what a scan finds`, ...base };
  }
  if (detail.errorCode) {
    return { action: 'ignore', reason: `the call failed (${detail.errorCode}), nothing changed`, ...base };
  }
  if (ownPrincipalArn && accessEntryEvents.has(eventName)) {
    const principal = stringAt(detail.requestParameters, 'principalArn');
    if (principal && safeDecode(principal) === ownPrincipalArn) {
      return { action: 'ignore', reason: "the scanner's own access entry", ...base };
    }
  }

  const rawName = clusterNameOf(detail);
  const responseArn = stringAt(detail.responseElements, 'cluster', 'arn');
  let cluster = responseArn ? parseClusterArn(responseArn) : undefined;
  if (!cluster && rawName) {
    const decoded = safeDecode(rawName);
    cluster = parseClusterArn(decoded);
    const accountId = detail.recipientAccountId ?? event.account;
    const region = detail.awsRegion ?? event.region;
    if (!cluster && accountId && region && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(decoded)) {
      cluster = { name: decoded, accountId, region, arn: clusterArnOf(accountId, region, decoded) };
    }
  }
  if (!cluster) {
    return { action: 'ignore', reason: `no cluster name, account and region found in the ${eventName} event`, ...base };
  }
  const at = detail.eventTime ?? event.time;
  const when = at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : undefined;
  return {
    action: eventName === 'DeleteCluster' ? 'delete' : 'scan',
    cluster,
    ...base,
    ...(when ? { at: when } : {}),
  };
}
