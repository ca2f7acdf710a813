import { describe, expect, it } from 'vitest';
import { awsTokenPluginOf } from '../../shared/eks/index.ts';

const exec = (command: string, args: string[], env?: { name: string; value: string }[]) => ({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  command,
  args,
  ...(env ? { env } : {}),
});

describe('awsTokenPluginOf', () => {
  it('reads what `aws eks update-kubeconfig` writes, profile from the env', () => {
    const written = exec('aws', ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'payments', '--output', 'json'], [
      { name: 'AWS_PROFILE', value: 'prod-admin' },
    ]);
    expect(awsTokenPluginOf(written)).toEqual({ tool: 'aws', clusterId: 'payments', region: 'eu-west-1', profile: 'prod-admin' });
  });

  it('prefers --profile and --region to the env, and takes --flag=value and --role-arn', () => {
    const written = exec(
      '/usr/local/bin/aws',
      ['eks', 'get-token', '--cluster-name=orders', '--profile=ops', '--role-arn', 'arn:aws:iam::111122223333:role/Viewer'],
      [
        { name: 'AWS_PROFILE', value: 'ignored' },
        { name: 'AWS_REGION', value: 'us-east-2' },
        { name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' },
      ],
    );
    expect(awsTokenPluginOf(written)).toEqual({
      tool: 'aws',
      clusterId: 'orders',
      region: 'us-east-2',
      profile: 'ops',
      roleArn: 'arn:aws:iam::111122223333:role/Viewer',
    });
  });

  it('binds the token to --cluster-id when given (Outposts local clusters)', () => {
    expect(awsTokenPluginOf(exec('aws', ['eks', 'get-token', '--cluster-name', 'edge', '--cluster-id', 'a1b2c3']))).toEqual({
      tool: 'aws',
      clusterId: 'a1b2c3',
    });
  });

  it('reads aws-iam-authenticator token -i', () => {
    expect(awsTokenPluginOf(exec('aws-iam-authenticator', ['token', '-i', 'payments']))).toEqual({
      tool: 'aws-iam-authenticator',
      clusterId: 'payments',
    });
  });

  it('leaves to the plugin what it does not fully understand', () => {
    expect(awsTokenPluginOf(exec('kubelogin', ['get-token', '--cluster-name', 'payments']))).toBeUndefined();
    expect(awsTokenPluginOf(exec('gke-gcloud-auth-plugin', []))).toBeUndefined();
    expect(awsTokenPluginOf(exec('aws', ['eks', 'get-token', '--cluster-name', 'p', '--endpoint-url', 'https://x']))).toBeUndefined();
    expect(awsTokenPluginOf(exec('aws', ['sts', 'get-caller-identity']))).toBeUndefined();
    expect(awsTokenPluginOf(exec('aws', ['eks', 'get-token']))).toBeUndefined();
    expect(awsTokenPluginOf(exec('aws-iam-authenticator', ['token', '-i', 'p', '-r', 'arn:aws:iam::1:role/x']))).toBeUndefined();
    expect(
      awsTokenPluginOf(exec('aws', ['eks', 'get-token', '--cluster-name', 'p'], [{ name: 'AWS_CONFIG_FILE', value: '/x' }])),
    ).toBeUndefined();
    expect(awsTokenPluginOf(undefined)).toBeUndefined();
  });
});
