// The types of the fields rules read, by kind, and the objects that break them: `spec.containers` a string,
// `securityContext.privileged: "yes"`, `replicas: "3"`, `metadata.labels` a list, a port as a string. The API server
// never serves such an object, but a manifest, a proxy or a test double can: it is reported as an input error naming
// the object and the JSON path, and skipped (never evaluated half-understood), and the other objects are evaluated.
import { isRecord } from '../model/kube.ts';

type FieldType = 'string' | 'boolean' | 'integer' | 'object' | 'array' | 'int-or-string' | 'string-map';

/** `a.b[].c`: `[]` is every element of the array before it. */
type FieldList = readonly (readonly [path: string, type: FieldType])[];

const container: FieldList = [
  ['', 'object'],
  ['name', 'string'],
  ['image', 'string'],
  ['imagePullPolicy', 'string'],
  ['command', 'array'],
  ['command[]', 'string'],
  ['args', 'array'],
  ['args[]', 'string'],
  ['securityContext', 'object'],
  ['securityContext.privileged', 'boolean'],
  ['securityContext.allowPrivilegeEscalation', 'boolean'],
  ['securityContext.readOnlyRootFilesystem', 'boolean'],
  ['securityContext.runAsNonRoot', 'boolean'],
  ['securityContext.runAsUser', 'integer'],
  ['securityContext.runAsGroup', 'integer'],
  ['securityContext.procMount', 'string'],
  ['securityContext.capabilities', 'object'],
  ['securityContext.capabilities.add', 'array'],
  ['securityContext.capabilities.add[]', 'string'],
  ['securityContext.capabilities.drop', 'array'],
  ['securityContext.capabilities.drop[]', 'string'],
  ['securityContext.seccompProfile', 'object'],
  ['securityContext.seccompProfile.type', 'string'],
  ['ports', 'array'],
  ['ports[]', 'object'],
  ['ports[].containerPort', 'integer'],
  ['ports[].hostPort', 'integer'],
  ['ports[].protocol', 'string'],
  ['env', 'array'],
  ['env[]', 'object'],
  ['env[].name', 'string'],
  ['env[].value', 'string'],
  ['env[].valueFrom', 'object'],
  ['envFrom', 'array'],
  ['envFrom[]', 'object'],
  ['resources', 'object'],
  ['resources.limits', 'object'],
  ['resources.requests', 'object'],
  ['volumeMounts', 'array'],
  ['volumeMounts[]', 'object'],
  ['volumeMounts[].name', 'string'],
  ['volumeMounts[].mountPath', 'string'],
  ['volumeMounts[].readOnly', 'boolean'],
  ['livenessProbe', 'object'],
  ['readinessProbe', 'object'],
];

const podSpec: FieldList = [
  ['', 'object'],
  ...['containers', 'initContainers', 'ephemeralContainers'].flatMap((list): FieldList => [
    [list, 'array'],
    ...container.map(([path, type]) => [`${list}[]${path ? `.${path}` : ''}`, type] as const),
  ]),
  ['hostNetwork', 'boolean'],
  ['hostPID', 'boolean'],
  ['hostIPC', 'boolean'],
  ['hostUsers', 'boolean'],
  ['serviceAccountName', 'string'],
  ['serviceAccount', 'string'],
  ['automountServiceAccountToken', 'boolean'],
  ['nodeName', 'string'],
  ['nodeSelector', 'string-map'],
  ['priorityClassName', 'string'],
  ['securityContext', 'object'],
  ['securityContext.runAsNonRoot', 'boolean'],
  ['securityContext.runAsUser', 'integer'],
  ['securityContext.runAsGroup', 'integer'],
  ['securityContext.fsGroup', 'integer'],
  ['securityContext.seccompProfile', 'object'],
  ['securityContext.seccompProfile.type', 'string'],
  ['securityContext.sysctls', 'array'],
  ['securityContext.sysctls[]', 'object'],
  ['securityContext.sysctls[].name', 'string'],
  ['volumes', 'array'],
  ['volumes[]', 'object'],
  ['volumes[].name', 'string'],
  ['volumes[].hostPath', 'object'],
  ['volumes[].hostPath.path', 'string'],
  ['volumes[].secret', 'object'],
  ['volumes[].secret.secretName', 'string'],
  ['volumes[].projected', 'object'],
  ['tolerations', 'array'],
  ['tolerations[]', 'object'],
  ['imagePullSecrets', 'array'],
  ['imagePullSecrets[]', 'object'],
];

const metadata: FieldList = [
  ['metadata', 'object'],
  ['metadata.name', 'string'],
  ['metadata.namespace', 'string'],
  ['metadata.uid', 'string'],
  ['metadata.labels', 'string-map'],
  ['metadata.annotations', 'string-map'],
  ['metadata.ownerReferences', 'array'],
  ['metadata.ownerReferences[]', 'object'],
  ['metadata.ownerReferences[].kind', 'string'],
  ['metadata.ownerReferences[].name', 'string'],
];

const under = (prefix: string, fields: FieldList): FieldList =>
  fields.map(([path, type]) => [path ? `${prefix}.${path}` : prefix, type] as const);

const template = (prefix: string): FieldList => [
  [prefix, 'object'],
  [`${prefix}.metadata`, 'object'],
  [`${prefix}.metadata.labels`, 'string-map'],
  [`${prefix}.metadata.annotations`, 'string-map'],
  ...under(`${prefix}.spec`, podSpec),
];

const workload = (extra: FieldList = []): FieldList => [
  ['spec', 'object'],
  ['spec.replicas', 'integer'],
  ['spec.selector', 'object'],
  ['spec.selector.matchLabels', 'string-map'],
  ...template('spec.template'),
  ...extra,
];

const rbacRules: FieldList = [
  ['rules', 'array'],
  ['rules[]', 'object'],
  ['rules[].verbs', 'array'],
  ['rules[].verbs[]', 'string'],
  ['rules[].resources', 'array'],
  ['rules[].resources[]', 'string'],
  ['rules[].apiGroups', 'array'],
  ['rules[].apiGroups[]', 'string'],
  ['rules[].resourceNames', 'array'],
  ['rules[].resourceNames[]', 'string'],
  ['rules[].nonResourceURLs', 'array'],
  ['rules[].nonResourceURLs[]', 'string'],
];

const binding: FieldList = [
  ['subjects', 'array'],
  ['subjects[]', 'object'],
  ['subjects[].kind', 'string'],
  ['subjects[].name', 'string'],
  ['subjects[].namespace', 'string'],
  ['roleRef', 'object'],
  ['roleRef.kind', 'string'],
  ['roleRef.name', 'string'],
  ['roleRef.apiGroup', 'string'],
];

const byKind: ReadonlyMap<string, FieldList> = new Map(Object.entries({
  Pod: under('spec', podSpec),
  Deployment: workload(),
  ReplicaSet: workload(),
  StatefulSet: workload(),
  DaemonSet: workload(),
  ReplicationController: workload(),
  Job: [['spec', 'object'], ...template('spec.template')],
  CronJob: [
    ['spec', 'object'],
    ['spec.schedule', 'string'],
    ['spec.jobTemplate', 'object'],
    ['spec.jobTemplate.spec', 'object'],
    ...template('spec.jobTemplate.spec.template'),
  ],
  Service: [
    ['spec', 'object'],
    ['spec.type', 'string'],
    ['spec.selector', 'string-map'],
    ['spec.externalIPs', 'array'],
    ['spec.externalIPs[]', 'string'],
    ['spec.loadBalancerSourceRanges', 'array'],
    ['spec.loadBalancerSourceRanges[]', 'string'],
    ['spec.ports', 'array'],
    ['spec.ports[]', 'object'],
    ['spec.ports[].port', 'integer'],
    ['spec.ports[].nodePort', 'integer'],
    ['spec.ports[].targetPort', 'int-or-string'],
    ['spec.ports[].protocol', 'string'],
  ],
  Role: rbacRules,
  ClusterRole: [...rbacRules, ['aggregationRule', 'object']],
  RoleBinding: binding,
  ClusterRoleBinding: binding,
  ServiceAccount: [['automountServiceAccountToken', 'boolean'], ['secrets', 'array'], ['imagePullSecrets', 'array']],
  NetworkPolicy: [
    ['spec', 'object'],
    ['spec.podSelector', 'object'],
    ['spec.policyTypes', 'array'],
    ['spec.policyTypes[]', 'string'],
    ['spec.ingress', 'array'],
    ['spec.ingress[]', 'object'],
    ['spec.egress', 'array'],
    ['spec.egress[]', 'object'],
  ],
  Ingress: [
    ['spec', 'object'],
    ['spec.ingressClassName', 'string'],
    ['spec.rules', 'array'],
    ['spec.rules[]', 'object'],
    ['spec.rules[].host', 'string'],
    ['spec.tls', 'array'],
    ['spec.tls[]', 'object'],
  ],
  ConfigMap: [['data', 'string-map']],
  Secret: [['type', 'string']],
} satisfies Record<string, FieldList>));

export interface FieldTypeProblem {
  /** The JSON path as rules report it, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path: string;
  expected: string;
  found: string;
}

/** Fields of `object` whose type is not the one rules read them as; absent and null fields are fine. */
export function wrongFieldTypes(object: Record<string, unknown>): FieldTypeProblem[] {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  // Nearly every object is fine: a walk that builds no path says so, and only a wrong one is looked at again.
  if (!anyWrong(object, compiledMetadata) && !anyWrong(object, compiledOf(kind))) return [];
  const fields = [...metadata, ...(byKind.get(kind) ?? [])];
  const problems: FieldTypeProblem[] = [];
  // A field under one already found wrong is not looked at again: `containers: "x"` is one problem, not twenty.
  const broken: string[] = [];
  for (const [path, type] of fields) {
    for (const { at, value } of valuesAt(object, path)) {
      if (value === undefined || value === null) continue;
      if (broken.some((prefix) => at === prefix || at.startsWith(`${prefix}.`) || at.startsWith(`${prefix}[`))) continue;
      if (!fits(value, type)) {
        problems.push({ path: at, expected: expectedOf(type), found: foundOf(value, mayQuote(at)) });
        broken.push(at);
      }
    }
  }
  return problems;
}

/** One line: `spec.replicas must be an integer, found a string ("3")`, joined for several. */
export function describeFieldTypes(problems: readonly FieldTypeProblem[]): string {
  return problems.map((problem) => `${problem.path} must be ${problem.expected}, found ${problem.found}`).join('; ');
}

interface CompiledField {
  segments: { key: string; each: boolean }[];
  type: FieldType;
}

const compile = (fields: readonly (readonly [string, FieldType])[]): CompiledField[] =>
  fields.map(([path, type]) => ({
    segments: path.split('.').map((segment) => (segment.endsWith('[]') ? { key: segment.slice(0, -2), each: true } : { key: segment, each: false })),
    type,
  }));

const compiledMetadata = compile(metadata);
const compiledByKind = new Map<string, CompiledField[]>();
function compiledOf(kind: string): CompiledField[] {
  let compiled = compiledByKind.get(kind);
  if (!compiled) {
    compiled = compile(byKind.get(kind) ?? []);
    compiledByKind.set(kind, compiled);
  }
  return compiled;
}

/** Whether any of the fields is present with the wrong type. */
function anyWrong(root: unknown, fields: readonly CompiledField[]): boolean {
  for (const field of fields) if (wrongAt(root, field, 0)) return true;
  return false;
}

function wrongAt(value: unknown, field: CompiledField, index: number): boolean {
  if (index === field.segments.length) return value !== undefined && value !== null && !fits(value, field.type);
  if (!isRecord(value)) return false;
  const { key, each } = field.segments[index]!;
  const child = value[key];
  if (!each) return wrongAt(child, field, index + 1);
  if (!Array.isArray(child)) return false;
  for (const element of child) if (wrongAt(element, field, index + 1)) return true;
  return false;
}

function valuesAt(root: unknown, path: string): { at: string; value: unknown }[] {
  let current: { at: string; value: unknown }[] = [{ at: '', value: root }];
  for (const segment of path.split('.')) {
    const each = segment.endsWith('[]');
    const key = each ? segment.slice(0, -2) : segment;
    const next: { at: string; value: unknown }[] = [];
    for (const { at, value } of current) {
      if (!isRecord(value)) continue;
      const child = value[key];
      const childAt = at ? `${at}.${key}` : key;
      if (!each) next.push({ at: childAt, value: child });
      else if (Array.isArray(child)) child.forEach((element: unknown, index) => next.push({ at: `${childAt}[${index}]`, value: element }));
    }
    current = next;
  }
  return current;
}

function fits(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'int-or-string':
      return typeof value === 'string' || Number.isInteger(value);
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string-map':
      return isRecord(value) && Object.values(value).every((entry) => typeof entry === 'string');
  }
}

function expectedOf(type: FieldType): string {
  const names: Record<FieldType, string> = {
    string: 'a string',
    boolean: 'true or false',
    integer: 'an integer',
    'int-or-string': 'an integer or a string',
    object: 'a mapping',
    array: 'a list',
    'string-map': 'a mapping of strings to strings',
  };
  return names[type];
}

/** Values are quoted only where they cannot be a credential (not env values, config data or annotations), and short. */
function mayQuote(path: string): boolean {
  return !/(^|\.)(env|envFrom|data|annotations)(\[|\.|$)/.test(path);
}

function foundOf(value: unknown, quote: boolean): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) {
    const odd = Object.entries(value).find(([, entry]) => typeof entry !== 'string');
    return odd ? `a mapping whose "${odd[0]}" is ${foundOf(odd[1], false)}` : 'a mapping';
  }
  const shown = JSON.stringify(value);
  const quoted = quote && shown.length <= 24 ? ` (${shown})` : '';
  if (typeof value === 'string') return `a string${quoted}`;
  if (typeof value === 'number') return `a number${quoted}`;
  if (typeof value === 'boolean') return `a boolean${quoted}`;
  return typeof value;
}

/** `Deployment shop/web`: the object as an error names it (whatever of its name is readable). */
export function objectName(object: Record<string, unknown>): string {
  const meta = isRecord(object.metadata) ? object.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '(no name)';
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  return `${kind} ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${name}`;
}
