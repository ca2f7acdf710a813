// What faces the internet: LoadBalancer Services and ALB Ingresses, and the workloads behind them. Shared by the
// exposure rules and the attack-path rule.
import { arrayField, recordField, stringField } from '../engine/workload.ts';
import { annotationsOf, nameOf, namespaceOf, type SnapshotIndex } from '../engine/snapshot-index.ts';
import type { KubeObject } from '../model/kube.ts';
import { serviceSelectorMatches } from './label-selector.ts';
import { podLabelsOf, workloadsIn } from './workloads.ts';

export const legacyInternalAnnotation = 'service.beta.kubernetes.io/aws-load-balancer-internal';
export const schemeAnnotation = 'service.beta.kubernetes.io/aws-load-balancer-scheme';
const lbTypeAnnotation = 'service.beta.kubernetes.io/aws-load-balancer-type';
export const albSchemeAnnotation = 'alb.ingress.kubernetes.io/scheme';

const openCidrs = new Set(['0.0.0.0/0', '::/0']);

export interface ServiceExposure {
  /** Why Periscope judges it internet-facing. */
  reason: string;
  /** True when the AWS Load Balancer Controller provisions it (its default scheme is internal). */
  awsLoadBalancerController: boolean;
}

/** Load balancer classes of the AWS Load Balancer Controller and of EKS Auto Mode, which both default to internal. */
const controllerClasses = new Set(['service.k8s.aws/nlb', 'eks.amazonaws.com/nlb']);

/** True when the AWS Load Balancer Controller (or EKS Auto Mode), not the legacy in-tree provider, owns the NLB. */
function managedByLoadBalancerController(service: KubeObject): boolean {
  const type = annotationsOf(service)[lbTypeAnnotation];
  const lbClass = stringField(service.spec, 'loadBalancerClass');
  return type === 'external' || type === 'nlb-ip' || (lbClass !== undefined && controllerClasses.has(lbClass));
}

/** The reason a Service of type LoadBalancer is reachable from the internet, or undefined when it is not. */
export function internetFacingService(service: KubeObject): ServiceExposure | undefined {
  if (stringField(service.spec, 'type') !== 'LoadBalancer') return undefined;
  const annotations = annotationsOf(service);
  const internal = annotations[legacyInternalAnnotation];
  if (internal !== undefined && internal.trim().toLowerCase() !== 'false') return undefined;
  const scheme = annotations[schemeAnnotation]?.trim().toLowerCase();
  if (scheme === 'internal') return undefined;
  const controller = managedByLoadBalancerController(service);
  // The AWS Load Balancer Controller creates internal NLBs unless told otherwise; the in-tree provider the opposite.
  if (controller && scheme !== 'internet-facing') return undefined;
  const ranges = arrayField(service.spec, 'loadBalancerSourceRanges').filter((r): r is string => typeof r === 'string');
  const annotationRanges = (annotations['service.beta.kubernetes.io/load-balancer-source-ranges'] ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const allRanges = [...ranges, ...annotationRanges];
  if (allRanges.length > 0 && !allRanges.some((r) => openCidrs.has(r))) return undefined;
  const reason =
    allRanges.length > 0
      ? 'source ranges include 0.0.0.0/0'
      : scheme === 'internet-facing'
        ? 'scheme internet-facing, no source ranges'
        : 'no internal annotation or scheme, no source ranges';
  return { reason, awsLoadBalancerController: controller };
}

/** True when an Ingress provisions an internet-facing ALB open to every address. */
export function isInternetFacingIngress(ingress: KubeObject): boolean {
  const annotations = annotationsOf(ingress);
  if (annotations[albSchemeAnnotation]?.trim().toLowerCase() !== 'internet-facing') return false;
  const cidrs = (annotations['alb.ingress.kubernetes.io/inbound-cidrs'] ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return cidrs.length === 0 || cidrs.some((c) => openCidrs.has(c));
}

/** True when the Service's selector picks the workload's pods. */
function serviceSelects(service: KubeObject, workload: KubeObject): boolean {
  return namespaceOf(service) === namespaceOf(workload) && serviceSelectorMatches(recordField(service.spec, 'selector'), podLabelsOf(workload));
}

/** The workloads (top-level controllers) whose pods a Service selects. */
export function workloadsSelectedByService(index: SnapshotIndex, service: KubeObject): KubeObject[] {
  const namespace = namespaceOf(service);
  const selector = recordField(service.spec, 'selector');
  if (!namespace || !selector) return [];
  return workloadsIn(index, namespace).filter((w) => serviceSelectorMatches(selector, podLabelsOf(w)));
}

/** Names of the Services an Ingress routes to (networking.k8s.io/v1 and the older serviceName form). */
function ingressBackendServices(ingress: KubeObject): string[] {
  const names = new Set<string>();
  const add = (backend: unknown): void => {
    const name = stringField(recordField(backend, 'service'), 'name') ?? stringField(backend, 'serviceName');
    if (name) names.add(name);
  };
  add(recordField(ingress.spec, 'defaultBackend'));
  add(recordField(ingress.spec, 'backend'));
  for (const rule of arrayField(ingress.spec, 'rules')) {
    for (const path of arrayField(recordField(rule, 'http'), 'paths')) add(recordField(path, 'backend'));
  }
  return [...names].sort();
}

export function workloadsBehindIngress(index: SnapshotIndex, ingress: KubeObject): KubeObject[] {
  const namespace = namespaceOf(ingress);
  const out = new Set<KubeObject>();
  for (const name of ingressBackendServices(ingress)) {
    const service = index.get('Service', namespace, name);
    if (service) for (const workload of workloadsSelectedByService(index, service)) out.add(workload);
  }
  return [...out];
}

export interface Entry {
  object: KubeObject;
  /** `Service/ns/name` or `Ingress/ns/name`. */
  ref: string;
  fact: string;
}

interface NamespaceEntryPoints {
  services: { service: KubeObject; exposure: ServiceExposure }[];
  ingresses: { ingress: KubeObject; backends: (KubeObject | undefined)[] }[];
}

const entryPointsCache = new WeakMap<SnapshotIndex, Map<string, NamespaceEntryPoints>>();

/** The internet-facing Services and Ingresses of a namespace, in snapshot order, worked out once per snapshot. */
function entryPointsIn(index: SnapshotIndex, namespace: string): NamespaceEntryPoints {
  let byNamespace = entryPointsCache.get(index);
  if (!byNamespace) entryPointsCache.set(index, (byNamespace = new Map<string, NamespaceEntryPoints>()));
  let found = byNamespace.get(namespace);
  if (found) return found;
  found = { services: [], ingresses: [] };
  for (const service of index.inNamespace('Service', namespace)) {
    const exposure = internetFacingService(service);
    if (exposure) found.services.push({ service, exposure });
  }
  for (const ingress of index.inNamespace('Ingress', namespace)) {
    if (!isInternetFacingIngress(ingress)) continue;
    found.ingresses.push({ ingress, backends: ingressBackendServices(ingress).map((name) => index.get('Service', namespace, name)) });
  }
  byNamespace.set(namespace, found);
  return found;
}

/** Every internet-facing entry point that reaches this workload. Only the Services and Ingresses of its own
 * namespace can (rules call this per workload: walking the whole cluster each time would be quadratic). */
export function internetEntriesOf(index: SnapshotIndex, workload: KubeObject): Entry[] {
  const namespace = namespaceOf(workload);
  if (!namespace) return [];
  const { services, ingresses } = entryPointsIn(index, namespace);
  const entries: Entry[] = [];
  for (const { service, exposure } of services) {
    if (!serviceSelects(service, workload)) continue;
    entries.push({
      object: service,
      ref: `Service/${namespace}/${nameOf(service)}`,
      fact: `internet-facing LoadBalancer (${exposure.reason})`,
    });
  }
  for (const { ingress, backends } of ingresses) {
    if (!backends.some((service) => service !== undefined && serviceSelects(service, workload))) continue;
    entries.push({ object: ingress, ref: `Ingress/${namespace}/${nameOf(ingress)}`, fact: 'internet-facing ALB' });
  }
  return entries;
}
