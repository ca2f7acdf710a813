// PeriscopeTargetAccount: what a member account needs so the central scanner can reach its clusters — a read-only
// role trusted by the scanner account, optional access entries, and forwarding of EKS events. Deployable as a StackSet.
import { Aws, Stack, type StackProps, aws_eks as eks, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_logs as logs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { clusterChangingEvents } from '../shared/pipeline/cloudtrail.ts';
import { acknowledgeWildcards } from './nag.ts';
import { auditDestinationArn, eksLogGroupName } from './audit-stream.ts';
import { auditFilterPattern } from '../shared/audit/relevance.ts';
import { adminViewPolicyArn, eksReadActions, eksUnscopedActions } from './scanner.ts';

export interface PeriscopeTargetAccountProps extends StackProps {
  scannerAccountId: string;
  /** The scanner's role name in the scanner account (default periscope-scanner). */
  scannerRoleName?: string;
  /** This account's role (default periscope-read). */
  roleName?: string;
  externalId?: string;
  /** Clusters of this account and region that get an access entry for the role (AmazonEKSAdminViewPolicy). */
  grantClusters?: string[];
  /** Clusters of this account and region whose audit logs go to the scanner's live change stream (audit logging
   * must be on; the scanner's config lists this account in targetAccounts and enables auditStream). */
  auditClusters?: string[];
  /** The filter pattern of the subscriptions (auditFilterPattern()). */
  auditFilterPattern?: string;
  /** Forward this region's EKS CloudTrail events to the scanner account's default bus (default true). */
  forwardEvents?: boolean;
}

export class PeriscopeTargetAccount extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PeriscopeTargetAccountProps) {
    super(scope, id, props);
    const scannerRoleArn = `arn:${Aws.PARTITION}:iam::${props.scannerAccountId}:role/${props.scannerRoleName ?? 'periscope-scanner'}`;
    this.role = new iam.Role(this, 'ReadRole', {
      roleName: props.roleName ?? 'periscope-read',
      description: 'Periscope: read-only access to EKS for the central scanner',
      assumedBy: new iam.ArnPrincipal(scannerRoleArn),
      ...(props.externalId ? { externalIds: [props.externalId] } : {}),
    });
    const clusterScoped = ['cluster/*', 'nodegroup/*', 'addon/*', 'access-entry/*', 'podidentityassociation/*'].map(
      (resource) => `arn:${Aws.PARTITION}:eks:*:${Aws.ACCOUNT_ID}:${resource}`,
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: eksReadActions,
        resources: clusterScoped,
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: eksUnscopedActions,
        resources: ['*'],
      }),
    );
    acknowledgeWildcards(this.role, clusterScoped, 'Read-only EKS access to every cluster of this account in any region: clusters appear at any time.');
    acknowledgeWildcards(this.role, ['*'], 'eks:ListClusters, eks:DescribeAddonVersions and eks:DescribeClusterVersions support no resource-level permissions.');

    for (const clusterName of props.grantClusters ?? []) {
      new eks.CfnAccessEntry(this, `Access${clusterName.replace(/[^A-Za-z0-9]/g, '')}`, {
        clusterName,
        principalArn: this.role.roleArn,
        type: 'STANDARD',
        accessPolicies: [{ policyArn: adminViewPolicyArn(Aws.PARTITION), accessScope: { type: 'cluster' } }],
      });
    }

    for (const clusterName of props.auditClusters ?? []) {
      // Cross-account: the scanner account's CloudWatch Logs destination (its Kinesis stream), no role needed here.
      new logs.CfnSubscriptionFilter(this, `Audit${clusterName.replace(/[^A-Za-z0-9]/g, '')}`, {
        logGroupName: eksLogGroupName(clusterName),
        destinationArn: auditDestinationArn(Aws.PARTITION, Aws.REGION, props.scannerAccountId),
        filterPattern: props.auditFilterPattern ?? auditFilterPattern(),
        filterName: 'periscope-audit',
      });
    }

    if (props.forwardEvents ?? true) {
      const scannerBus = events.EventBus.fromEventBusArn(
        this,
        'ScannerDefaultBus',
        `arn:${Aws.PARTITION}:events:${Aws.REGION}:${props.scannerAccountId}:event-bus/default`,
      );
      new events.Rule(this, 'ForwardEksEvents', {
        description: "Periscope: forward EKS changes to the scanner account's default bus",
        eventPattern: {
          source: ['aws.eks'],
          detailType: ['AWS API Call via CloudTrail'],
          detail: { eventSource: ['eks.amazonaws.com'], eventName: [...clusterChangingEvents] },
        },
        targets: [new targets.EventBus(scannerBus)],
      });
    }
  }
}
