import { describe, expect, it } from 'vitest';
import { containersOf, podTemplateOf } from '../../shared/engine/workload.ts';
import { getIn } from '../../shared/engine/paths.ts';
import * as f from '../support/fixtures.ts';

const kinds = [
  ['Pod', f.pod, 'spec'],
  ['Deployment', f.deployment, 'spec.template.spec'],
  ['ReplicaSet', f.replicaSet, 'spec.template.spec'],
  ['StatefulSet', f.statefulSet, 'spec.template.spec'],
  ['DaemonSet', f.daemonSet, 'spec.template.spec'],
  ['Job', f.job, 'spec.template.spec'],
  ['ReplicationController', f.replicationController, 'spec.template.spec'],
  ['CronJob', f.cronJob, 'spec.jobTemplate.spec.template.spec'],
] as const;

describe('workload extraction', () => {
  for (const [kind, build, specPath] of kinds) {
    it(`finds the pod spec and every container of a ${kind}`, () => {
      const spec = {
        initContainers: [f.container({ name: 'init' })],
        containers: [f.container({ name: 'a' }), f.container({ name: 'b' })],
        ephemeralContainers: [f.container({ name: 'debug' })],
      };
      const object = build({ spec });
      const template = podTemplateOf(object);
      expect(template?.spec).toBe(getIn(object, template!.specSegments));
      const refs = containersOf(object);
      expect(refs.map((r) => `${r.type}/${r.name}`)).toEqual([
        'initContainers/init',
        'containers/a',
        'containers/b',
        'ephemeralContainers/debug',
      ]);
      const b = refs[2]!;
      expect(b.path).toBe(`${specPath}.containers[1]`);
      expect(b.pointer).toBe('/' + specPath.replaceAll('.', '/') + '/containers/1');
      expect(getIn(object, b.segments)).toBe(b.container);
    });
  }

  it('yields nothing for other kinds and malformed objects, without throwing', () => {
    expect(containersOf({ kind: 'Service', spec: { containers: [{}] } })).toEqual([]);
    expect(containersOf({ kind: 'Deployment', spec: 'oops' })).toEqual([]);
    expect(containersOf({ kind: 'Pod', spec: { containers: 'nope' } })).toEqual([]);
    expect(containersOf({ kind: 'Pod', spec: { containers: [null, 3, { image: 'x' }] } })).toMatchObject([
      { name: '', index: 2 },
    ]);
  });
});
