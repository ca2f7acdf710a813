// `--context` / `--eks` when the machine is not set up for them: the error says what is missing and what to do.
import { describe, expect, it } from 'vitest';
import { describeHint, missingKubeconfig } from '../../shared/cli/live-source.ts';
import { runCli, tempFiles } from './run-cli.ts';

/** No kubeconfig and no AWS credentials anywhere: an empty HOME and nothing in the environment. */
function bareEnvironment(home: string): Record<string, string | undefined> {
  return {
    HOME: home,
    KUBECONFIG: undefined,
    KUBERNETES_SERVICE_HOST: undefined,
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONFIG_FILE: `${home}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/no-aws-credentials`,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

describe('periscope scan --context without a kubeconfig', () => {
  it('names the missing file and how to create one, instead of a made-up "loaded-context"', async () => {
    const { dir, cleanup } = tempFiles({});
    try {
      const result = await runCli(['scan', '--context', 'my-kube-context'], { env: bareEnvironment(dir) });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `periscope: No kubeconfig: KUBECONFIG is not set and ${dir}/.kube/config does not exist; ` +
          'create one with `aws eks update-kubeconfig --name <cluster> --region <region>`, or pass --kubeconfig <file>.\n',
      );
    } finally {
      cleanup();
    }
  });

  it('says which --kubeconfig or KUBECONFIG file does not exist', async () => {
    const { dir, cleanup } = tempFiles({ 'kube.yaml': 'apiVersion: v1\nkind: Config\n' });
    try {
      expect(missingKubeconfig(`${dir}/nope.yaml`, {})).toMatch(new RegExp(`^The kubeconfig ${dir}/nope.yaml does not exist; create one with`));
      expect(missingKubeconfig(`${dir}/kube.yaml`, {})).toBeUndefined();
      expect(missingKubeconfig(undefined, { KUBECONFIG: `${dir}/a:${dir}/b` })).toMatch(/^No kubeconfig: KUBECONFIG names .*\/a, .*\/b, and none exists;/);
      expect(missingKubeconfig(undefined, { KUBECONFIG: `${dir}/a:${dir}/kube.yaml` })).toBeUndefined();
      expect(missingKubeconfig(undefined, { HOME: dir, KUBERNETES_SERVICE_HOST: '10.0.0.1' })).toBeUndefined();
      const result = await runCli(['scan', '--context', 'dev', '--kubeconfig', `${dir}/nope.yaml`], { env: bareEnvironment(dir) });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`periscope: The kubeconfig ${dir}/nope.yaml does not exist;`);
    } finally {
      cleanup();
    }
  });
});

describe('periscope scan --eks without AWS credentials', () => {
  it('says that no credentials were found and how to provide them', async () => {
    const { dir, cleanup } = tempFiles({});
    try {
      const result = await runCli(['scan', '--eks', 'prod-eu', '--region', 'eu-west-1'], { env: bareEnvironment(dir) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^periscope: Cannot describe EKS cluster "prod-eu" in eu-west-1: .*Could not load credentials/);
      expect(result.stderr).toContain('No AWS credentials were found: set AWS_PROFILE (after `aws sso login` or `aws configure`)');
    } finally {
      cleanup();
    }
  });

  it('points at the region and the IAM permission for the other failures', () => {
    const target = { eks: 'prod-eu', region: 'eu-west-1' };
    expect(describeHint('ResourceNotFoundException: No cluster found for name: prod-eu.', target)).toContain(
      '`aws eks list-clusters --region eu-west-1`',
    );
    expect(describeHint('AccessDeniedException: not authorized to perform eks:DescribeCluster', target)).toContain('needs eks:DescribeCluster');
    expect(describeHint('AccessDenied: not authorized to perform sts:AssumeRole', { ...target, roleArn: 'arn:aws:iam::1:role/r' })).toContain(
      'sts:AssumeRole on arn:aws:iam::1:role/r',
    );
    expect(describeHint('ExpiredTokenException: The security token included in the request is expired', target)).toContain('expired');
    expect(describeHint('socket hang up', target)).toBe('');
  });
});
