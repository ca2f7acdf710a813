import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import {
  internetEntriesOf,
  internetFacingService,
  isInternetFacingIngress,
  workloadsBehindIngress,
  workloadsSelectedByService,
} from '../../shared/facts/internet-exposure.ts';
import { workloadLabel } from '../../shared/facts/workloads.ts';
import { deployment, snapshotOf } from '../support/fixtures.ts';
import { ingress, service } from '../rules/exposure/exposure-fixtures.ts';

const lb = (annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}) => service('web', { type: 'LoadBalancer', annotations, spec });
const alb = { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' };

describe('internetFacingService', () => {
  it('says why a LoadBalancer faces the internet', () => {
    expect(internetFacingService(lb())).toEqual({ reason: 'no internal annotation or scheme, no source ranges', awsLoadBalancerController: false });
    expect(internetFacingService(lb({}, { loadBalancerSourceRanges: ['0.0.0.0/0'] }))?.reason).toBe('source ranges include 0.0.0.0/0');
    expect(
      internetFacingService(lb({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' })),
    ).toEqual({ reason: 'scheme internet-facing, no source ranges', awsLoadBalancerController: true });
  });

  it('is undefined for other types, internal load balancers and limited source ranges', () => {
    expect(internetFacingService(service('web'))).toBeUndefined();
    expect(internetFacingService(lb({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }))).toBeUndefined();
    expect(internetFacingService(lb({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' }))).toBeUndefined();
    expect(internetFacingService(lb({}, { loadBalancerSourceRanges: ['203.0.113.0/24'] }))).toBeUndefined();
  });
});

describe('isInternetFacingIngress', () => {
  it('needs the internet-facing scheme and no narrower inbound CIDRs', () => {
    expect(isInternetFacingIngress(ingress('web', { annotations: alb }))).toBe(true);
    expect(isInternetFacingIngress(ingress('web'))).toBe(false);
    expect(isInternetFacingIngress(ingress('web', { annotations: { ...alb, 'alb.ingress.kubernetes.io/inbound-cidrs': '10.0.0.0/8' } }))).toBe(false);
  });
});

describe('the workloads behind an entry point', () => {
  const web = deployment({ name: 'web' });
  const api = deployment({ name: 'api' });
  const other = deployment({ name: 'web', namespace: 'other' });
  const front = lb();
  const route = ingress('web', { annotations: alb });
  const index = new SnapshotIndex(snapshotOf([web, api, other, front, route]));

  it('a Service selects the workloads of its own namespace whose pods match', () => {
    expect(workloadsSelectedByService(index, front).map(workloadLabel)).toEqual(['Deployment/web']);
    expect(workloadsSelectedByService(index, service('none', { selector: {} }))).toEqual([]);
  });

  it('an Ingress reaches the workloads of the Services it routes to', () => {
    expect(workloadsBehindIngress(index, route)).toEqual([web]);
    expect(workloadsBehindIngress(index, ingress('lost', { backend: 'missing' }))).toEqual([]);
  });

  it('lists every internet-facing entry point of a workload', () => {
    expect(internetEntriesOf(index, web)).toEqual([
      { object: front, ref: 'Service/shop/web', fact: 'internet-facing LoadBalancer (no internal annotation or scheme, no source ranges)' },
      { object: route, ref: 'Ingress/shop/web', fact: 'internet-facing ALB' },
    ]);
    expect(internetEntriesOf(index, api)).toEqual([]);
    expect(internetEntriesOf(index, other)).toEqual([]);
  });
});
