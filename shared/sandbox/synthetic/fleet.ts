// A synthetic fleet for fleet-view tests and benchmarks: N EKS clusters over a few accounts, regions and Kubernetes
// versions, each with the engine's real findings on a synthetic cluster. A few template clusters are evaluated once
// and their findings re-keyed per cluster (cluster id and fingerprint), so a 1,000-cluster fleet costs a few scans.
// Deterministic for a seed.
import { evaluatorOf } from '../../engine/evaluator.ts';
import { fingerprintOf } from '../../engine/fingerprint.ts';
import type { ClusterInfo, ClusterRef } from '../../model/cluster.ts';
import type { Finding } from '../../model/finding.ts';
import type { KubeObject } from '../../model/kube.ts';
import type { KindCoverage } from '../../model/snapshot.ts';
import { rules } from '../../rules/index.ts';
import { syntheticObjects } from './cluster.ts';

export interface FleetProfile {
  clusters: number;
  /** Findings of each cluster at most (a template with fewer gives all it has). */
  findingsPerCluster: number;
  /** Template clusters evaluated (default 4). */
  templates?: number;
  seed?: number;
}

export interface FleetTemplate {
  findings: Finding[];
  coverage: Record<string, KindCoverage>;
}

export interface SyntheticFleetCluster {
  cluster: ClusterRef;
  info: ClusterInfo;
  /** The cluster's findings as a scan at `takenAt` produces them (cluster id and fingerprints its own). */
  findings(takenAt: string): Finding[];
  coverage: Record<string, KindCoverage>;
}

const accounts = ['111122223333', '222233334444', '333344445555', '444455556666', '555566667777'];
const regions = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
const versions = ['1.27', '1.29', '1.31', '1.32', '1.33', '1.34', '1.35'];

/** Evaluates one synthetic cluster sized to give about `findings` findings. */
export function fleetTemplate(findings: number, seed: number): FleetTemplate {
  for (let pods = Math.max(60, findings * 2); ; pods *= 2) {
    const objects: Record<string, KubeObject[]> = {};
    for (const object of syntheticObjects({ pods, seed })) (objects[String(object.kind)] ??= []).push(object);
    const coverage: Record<string, KindCoverage> = {};
    for (const [kind, list] of Object.entries(objects)) coverage[kind] = { complete: true, count: list.length };
    const snapshot = { cluster: { id: 'template', name: 'template', source: 'eks' as const }, objects, coverage, takenAt: '2026-01-01T00:00:00.000Z' };
    const result = evaluatorOf({ rules })(snapshot, new Date(snapshot.takenAt));
    if (result.findings.length >= findings || pods > 100_000) return { findings: result.findings.slice(0, findings), coverage };
  }
}

/** The fleet's clusters, lazily (a cluster's findings are made when asked for). */
export function syntheticFleet(profile: FleetProfile): SyntheticFleetCluster[] {
  const seed = profile.seed ?? 1;
  const templates = Array.from({ length: profile.templates ?? 4 }, (_, i) => fleetTemplate(profile.findingsPerCluster, seed + i));
  return Array.from({ length: profile.clusters }, (_, i) => {
    const accountId = accounts[i % accounts.length]!;
    const region = regions[Math.floor(i / accounts.length) % regions.length]!;
    const name = `cluster-${String(i).padStart(4, '0')}`;
    const arn = `arn:aws:eks:${region}:${accountId}:cluster/${name}`;
    const template = templates[i % templates.length]!;
    // Clusters differ in size: each keeps a share of its template's findings (60% to 100%).
    const keep = Math.max(1, Math.round(template.findings.length * (0.6 + ((i * 7 + seed) % 5) / 10)));
    const cluster: ClusterRef = { id: arn, name, arn, accountId, region, source: 'eks' };
    return {
      cluster,
      info: { name, arn, version: versions[(i + seed) % versions.length]!, status: 'ACTIVE', endpointPublicAccess: i % 3 === 0, endpointPrivateAccess: true },
      coverage: template.coverage,
      findings: (takenAt) =>
        template.findings.slice(0, keep).map((f) => ({
          ...f,
          clusterId: arn,
          fingerprint: fingerprintOf({ ...f.resource, clusterId: arn, ruleId: f.ruleId, key: f.fingerprint }),
          firstSeenAt: takenAt,
          lastSeenAt: takenAt,
        })),
    };
  });
}
