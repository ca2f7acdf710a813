import rule from '../../../shared/rules/secrets/secret-env-var.ts';
import { cronJob, deployment, hardenedPodSpec, job, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;
const secretRef = (name: string, secret: unknown, key = 'value'): Json => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    {
      name: 'a Secret mounted as a volume, ConfigMaps and field refs in env',
      object: pod({
        spec: hardenedPodSpec({
          volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
          containers: [
            {
              ...hardened,
              volumeMounts: [{ name: 'creds', mountPath: '/var/run/creds', readOnly: true }],
              env: [{ name: 'LOG', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'log' } } }, { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              envFrom: [{ configMapRef: { name: 'cfg' } }],
            },
          ],
        }),
      }),
    },
    { name: 'malformed env and envFrom do not throw', object: pod({ spec: hardenedPodSpec({ containers: [{ ...hardened, env: [null, { valueFrom: 'x' }, secretRef('A', 7)], envFrom: 'all' }] }) }) },
  ],
  invalid: [
    {
      name: 'two variables from one Secret in a deployment: one finding',
      object: deployment({ spec: hardenedPodSpec({ containers: [{ ...hardened, env: [{ name: 'A', value: '1' }, secretRef('DB_USER', 'db', 'user'), secretRef('DB_PASSWORD', 'db', 'password')] }] }) }),
      findings: [
        {
          messageId: 'fromEnv',
          severity: 'low',
          container: 'app',
          data: { container: 'app', secret: 'db', variables: 'DB_USER, DB_PASSWORD' },
          path: 'spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef',
          fix: null,
        },
      ],
    },
    {
      name: 'envFrom a Secret, with and without a prefix, in a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [{ ...hardened, name: 'init', envFrom: [{ secretRef: { name: 'bootstrap' } }] }],
          containers: [{ ...hardened, envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'API_', secretRef: { name: 'api' } }] }],
        }),
      }),
      findings: [
        { messageId: 'fromEnv', container: 'init', data: { container: 'init', secret: 'bootstrap', variables: 'every key' }, path: 'spec.jobTemplate.spec.template.spec.initContainers[0].envFrom[0].secretRef' },
        { messageId: 'fromEnv', container: 'app', data: { container: 'app', secret: 'api', variables: 'every key, prefixed API_' }, path: 'spec.jobTemplate.spec.template.spec.containers[0].envFrom[1].secretRef' },
      ],
    },
    {
      name: 'two Secrets in a job, one of them both ways',
      object: job({ spec: hardenedPodSpec({ containers: [{ ...hardened, env: [secretRef('TOKEN', 'api')], envFrom: [{ secretRef: { name: 'db' } }, { secretRef: { name: 'api' } }] }] }) }),
      findings: [
        { messageId: 'fromEnv', data: { container: 'app', secret: 'api', variables: 'TOKEN, every key' }, path: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef' },
        { messageId: 'fromEnv', data: { container: 'app', secret: 'db', variables: 'every key' }, path: 'spec.template.spec.containers[0].envFrom[0].secretRef' },
      ],
    },
    {
      name: 'an ephemeral container with a nameless entry',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [{ ...hardened, name: 'debug', env: [{ valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } }] }] }) }),
      findings: [{ messageId: 'fromEnv', container: 'debug', data: { container: 'debug', secret: 'db', variables: 'env[0]' }, path: 'spec.ephemeralContainers[0].env[0].valueFrom.secretKeyRef' }],
    },
  ],
});
