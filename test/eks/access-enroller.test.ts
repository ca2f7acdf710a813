// EksAccessEnroller: the scanner's own access entry, with the EKS client mocked.
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, EKSClient, ResourceInUseException } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EksAccessEnroller } from '../../shared/eks/access-enroller.ts';
import { silentLogger } from '../../shared/model/cross-cutting.ts';

const account = '111122223333';
const region = 'eu-west-1';

describe('EksAccessEnroller', () => {
  const principalArn = `arn:aws:iam::${account}:role/periscope-scanner`;
  const cluster = { name: 'payments-prod', arn: `arn:aws:eks:${region}:${account}:cluster/payments-prod`, region, accountId: account };

  it('creates the entry (an existing one is fine) and associates AdminView at cluster scope', async () => {
    const mock = mockClient(EKSClient);
    mock.on(CreateAccessEntryCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
    mock.on(AssociateAccessPolicyCommand).resolves({});
    const enroller = new EksAccessEnroller({ eks: () => new EKSClient({ region }), principalArn, logger: silentLogger });
    await enroller.enrol(cluster);
    expect(mock.commandCalls(AssociateAccessPolicyCommand)[0]?.args[0].input).toEqual({
      clusterName: 'payments-prod',
      principalArn,
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
      accessScope: { type: 'cluster' },
    });
  });

  it('leaves clusters of other accounts alone', async () => {
    const mock = mockClient(EKSClient);
    const enroller = new EksAccessEnroller({ eks: () => new EKSClient({ region }), principalArn, logger: silentLogger });
    await enroller.enrol({ ...cluster, accountId: '444455556666' });
    expect(mock.calls()).toHaveLength(0);
  });
});
