import { describe, expect, it } from 'vitest';
import { eksCloudTrailEventSchema, interpretClusterEvent } from '../../shared/pipeline/cloudtrail.ts';
import { parseClusterArn } from '../../shared/eks/cluster-arn.ts';
import { eksSampleNames, sample } from './samples.ts';

const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod';
const parse = (name: string) => eksCloudTrailEventSchema.parse(sample(name));

describe('interpretClusterEvent on the events/ samples', () => {
  it.each([
    ['eks-create-cluster.json', 'scan', 'CreateCluster'],
    ['eks-update-cluster-config.json', 'scan', 'UpdateClusterConfig'],
    ['eks-update-cluster-version.json', 'scan', 'UpdateClusterVersion'],
    ['eks-create-access-entry.json', 'scan', 'CreateAccessEntry'],
    ['eks-associate-access-policy.json', 'scan', 'AssociateAccessPolicy'],
    ['eks-update-nodegroup-config.json', 'scan', 'UpdateNodegroupConfig'],
    ['eks-create-addon.json', 'scan', 'CreateAddon'],
    ['eks-delete-cluster.json', 'delete', 'DeleteCluster'],
  ])('%s → %s of payments-prod', (file, action, eventName) => {
    const result = interpretClusterEvent(parse(file));
    expect(result.action).toBe(action);
    expect(result.eventName).toBe(eventName);
    if (result.action === 'ignore') throw new Error(result.reason);
    expect(result.cluster).toEqual({ arn, name: 'payments-prod', region: 'eu-west-1', accountId: '111122223333' });
    expect(result.at).toMatch(/^2026-11-23T\d\d:\d\d:00\.000Z$/);
  });

  it('reads the 2018 shape (requestParameters.clusterName, responseElements.cluster.clusterName)', () => {
    const result = interpretClusterEvent(parse('eks-create-cluster-2018.json'));
    expect(result).toMatchObject({ action: 'scan', cluster: { name: 'test', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/test' } });
  });

  it('ignores a failed call: nothing changed', () => {
    const result = interpretClusterEvent(parse('eks-failed-update.json'));
    expect(result).toMatchObject({ action: 'ignore', reason: expect.stringContaining('AccessDenied') });
  });

  it('every eks-* sample parses with the envelope schema', () => {
    for (const name of eksSampleNames()) expect(() => parse(name), name).not.toThrow();
  });
});

describe('defensive parsing', () => {
  const base = parse('eks-update-cluster-config.json');
  const withDetail = (patch: Record<string, unknown>) =>
    eksCloudTrailEventSchema.parse({ ...base, detail: { ...base.detail, ...patch } });

  it('takes an URL-encoded cluster ARN in `name`', () => {
    const result = interpretClusterEvent(withDetail({ requestParameters: { name: encodeURIComponent(arn) } }));
    expect(result).toMatchObject({ action: 'scan', cluster: { arn, name: 'payments-prod' } });
  });

  it('falls back to the envelope account and region when the record lacks them', () => {
    const { awsRegion: _r, recipientAccountId: _a, ...detail } = base.detail;
    const result = interpretClusterEvent(eksCloudTrailEventSchema.parse({ ...base, detail }));
    expect(result).toMatchObject({ action: 'scan', cluster: { arn } });
  });

  it('ignores an event with no cluster name anywhere, saying why', () => {
    const result = interpretClusterEvent(withDetail({ requestParameters: { foo: 'bar' }, responseElements: null }));
    expect(result).toMatchObject({ action: 'ignore', reason: expect.stringContaining('no cluster name') });
  });

  it('rejects names that are not EKS cluster names', () => {
    const result = interpretClusterEvent(withDetail({ requestParameters: { name: '../../etc' } }));
    expect(result.action).toBe('ignore');
  });

  it('ignores read-only and unrelated operations', () => {
    expect(interpretClusterEvent(withDetail({ eventName: 'DescribeCluster' })).action).toBe('ignore');
    expect(interpretClusterEvent(withDetail({ eventName: 'TagResource' })).action).toBe('ignore');
  });

  it("ignores the scanner's own access entry (URL-encoded principal), not someone else's", () => {
    const event = parse('eks-create-access-entry.json');
    expect(interpretClusterEvent(event, 'arn:aws:iam::111122223333:role/ci-deployer')).toMatchObject({ action: 'ignore' });
    expect(interpretClusterEvent(event, 'arn:aws:iam::111122223333:role/periscope-scanner').action).toBe('scan');
  });

  it('ignores events from another source', () => {
    expect(interpretClusterEvent({ ...base, source: 'aws.ec2' }).action).toBe('ignore');
  });
});

describe('parseClusterArn', () => {
  it('reads partitions, and refuses what is not a cluster ARN', () => {
    expect(parseClusterArn('arn:aws-cn:eks:cn-north-1:111122223333:cluster/a_b-1')).toMatchObject({ region: 'cn-north-1', name: 'a_b-1' });
    expect(parseClusterArn('arn:aws:eks:eu-west-1:111122223333:nodegroup/x/y/z')).toBeUndefined();
    expect(parseClusterArn('arn%3Aaws%3Aeks%3Aeu-west-1%3A111122223333%3Acluster%2Fx')).toMatchObject({ name: 'x' });
    expect(parseClusterArn('%E0%A4%A')).toBeUndefined();
  });
});
