// EKS cluster ARNs: built from account, region and name, and read back (names may arrive URL-encoded).
import type { ClusterLocation } from './port.ts';

const clusterArnPattern = /^arn:(aws[a-z-]*):eks:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9][A-Za-z0-9_-]*)$/;

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export function clusterArnOf(accountId: string, region: string, name: string): string {
  return `arn:${partitionOf(region)}:eks:${region}:${accountId}:cluster/${name}`;
}

/** The cluster an ARN names, or undefined when it is not an EKS cluster ARN (after URL-decoding). */
export function parseClusterArn(value: string): ClusterLocation | undefined {
  const match = clusterArnPattern.exec(safeDecode(value));
  if (!match) return undefined;
  const [arn, , region, accountId, name] = match as unknown as [string, string, string, string, string];
  return { arn, region, accountId, name };
}

/** `decodeURIComponent` that leaves text alone when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
