import { describe, expect, it } from 'vitest';
import serviceAccountOutside from '../../../shared/audit/detections/service-account-outside.ts';
import type { auditEvent} from '../events.ts';
import { detectionRunner } from '../events.ts';

const internalCidrs = ['10.0.0.0/16', 'fd00:ec2::/64'];
const run = (cidrs: string[], ...events: Parameters<typeof auditEvent>[]) => detectionRunner(serviceAccountOutside, { internalCidrs: cidrs })(...events);

describe('audit-service-account-outside', () => {
  it('reports a service account used by kubectl from outside the cluster networks: two findings on the account', async () => {
    const { findings } = await run(internalCidrs, ['sa-kubectl-get-secrets']);
    expect(findings.map((f) => [f.resource.kind, f.resource.namespace, f.resource.name, f.message]).sort()).toEqual([
      ['ServiceAccount', 'build', 'ci', 'service account build/ci was used by kubectl, a tool people run'],
      ['ServiceAccount', 'build', 'ci', 'service account build/ci was used from 203.0.113.99, outside the cluster networks'],
    ]);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('judges only the user agent when no cluster CIDRs are configured', async () => {
    const { findings } = await run([], ['sa-kubectl-get-secrets']);
    expect(findings.map((f) => f.message)).toEqual(['service account build/ci was used by kubectl, a tool people run']);
  });

  it('leaves the workload itself alone: inside the node network (IPv4 or IPv6), its own user agent', async () => {
    const { findings } = await run(
      internalCidrs,
      ['sa-in-cluster-secret-get'],
      ['sa-in-cluster-secret-get', { sourceIPs: ['fd00:ec2::17'] }],
      ['exec-started'],
    );
    expect(findings).toEqual([]);
  });

  it('reports an outside IPv6 address', async () => {
    const { findings } = await run(internalCidrs, ['sa-in-cluster-secret-get', { sourceIPs: ['2001:db8::5'] }]);
    expect(findings.map((f) => f.message)).toEqual(['service account build/ci was used from 2001:db8::5, outside the cluster networks']);
  });

  it('rejects a malformed CIDR setting with what is wrong', async () => {
    await expect(run(['10.0.0.0/33'], ['sa-in-cluster-secret-get'])).rejects.toThrow('"10.0.0.0/33" is not a CIDR block');
  });
});
