// Auto-enrol: the scanner gives its own role read access to a cluster of its account (AmazonEKSAdminViewPolicy,
// cluster scope). IAM allows exactly this principal and this policy (see cdk/scanner.ts).
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, type EKSClient } from '@aws-sdk/client-eks';
import type { Logger } from '../model/cross-cutting.ts';
import { partitionOf } from './cluster-arn.ts';
import type { AccessEnroller, ClusterLocation } from './port.ts';

export class EksAccessEnroller implements AccessEnroller {
  readonly #eks: (accountId: string, region: string) => EKSClient;
  readonly #principalArn: string;
  readonly #logger: Logger;

  constructor(options: { eks: (accountId: string, region: string) => EKSClient; principalArn: string; logger: Logger }) {
    this.#eks = options.eks;
    this.#principalArn = options.principalArn;
    this.#logger = options.logger;
  }

  async enrol(cluster: ClusterLocation): Promise<void> {
    const ownAccount = this.#principalArn.split(':')[4];
    if (cluster.accountId !== ownAccount) {
      this.#logger.info('auto-enrol skipped: the cluster is in another account (deploy PeriscopeTargetAccount with grantClusters there)', {
        clusterArn: cluster.arn,
      });
      return;
    }
    const eks = this.#eks(cluster.accountId, cluster.region);
    try {
      await eks.send(new CreateAccessEntryCommand({ clusterName: cluster.name, principalArn: this.#principalArn, type: 'STANDARD' }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
    }
    await eks.send(
      new AssociateAccessPolicyCommand({
        clusterName: cluster.name,
        principalArn: this.#principalArn,
        policyArn: `arn:${partitionOf(cluster.region)}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`,
        accessScope: { type: 'cluster' },
      }),
    );
  }
}
