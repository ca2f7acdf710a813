// Fixes whose right value depends on the workload: a person decides it (an option of `periscope fix`), and until then
// the fix is skipped with the question. A decided value never weakens what the finding asks for.
import { getIn, toPointer, type PathSegment } from '../engine/paths.ts';
import type { Finding, JsonPatchOp } from '../model/finding.ts';
import { parsePointer } from './json-patch.ts';
import { segmentsOfPath } from './paths.ts';

/** Values given on the command line; absent means "not decided". */
export interface DecisionValues {
  /** The non-root UID the containers run as (replaces `runAsUser: 0`). */
  runAsUser?: number;
  /** `RuntimeDefault` or `Localhost:<profile>`. */
  seccompProfile?: string;
  /** `RuntimeDefault` or `Localhost:<profile>`. */
  appArmorProfile?: string;
  /** Accept limits equal to the current requests. */
  limitsFromRequests?: boolean;
  /** Accept moving literal credentials to the Secret each fix names (which must then be created with the value). */
  envToSecret?: boolean;
  /** Image as written → its digest (`sha256:<64 hex>`). */
  imageDigests?: Readonly<Record<string, string>>;
}

export type Resolution =
  /** `accepts`: rules whose (lower-severity) findings the decided fix is known to bring, which the person accepted. */
  | { kind: 'patch'; patch: JsonPatchOp[]; accepts: string[] }
  /** The fix needs a value: the question, naming the option that answers it. */
  | { kind: 'decision'; question: string }
  /** The value given cannot be used. */
  | { kind: 'invalid'; message: string };

const digestPattern = /^sha256:[0-9a-f]{64}$/;
const profilePattern = /^(RuntimeDefault|Localhost:[^\s:]+)$/;

/** Every pointer a patch writes: the op's path and, for a collection value, each leaf under it. */
function writtenSegments(op: JsonPatchOp): string[][] {
  const base = parsePointer(op.path);
  if (op.op === 'remove') return [base];
  const out: string[][] = [];
  const walk = (value: unknown, at: string[]): void => {
    if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, [...at, key]);
    } else out.push(at);
  };
  walk(op.value, base);
  return out;
}

const touches = (patch: readonly JsonPatchOp[], test: (segments: string[]) => boolean): boolean =>
  patch.some((op) => writtenSegments(op).some(test));

/** The op with every value written under `field` replaced by `make()`. */
function rewriteField(op: JsonPatchOp, field: (segment: string) => boolean, make: () => unknown): JsonPatchOp {
  if (op.op === 'remove') return op;
  const segments = parsePointer(op.path);
  if (field(segments.at(-1) ?? '')) return { ...op, value: make() };
  const rewrite = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, field(key) ? make() : rewrite(child)]));
  };
  return { ...op, value: rewrite(op.value) };
}

/** Whether the op sets `field` to true (at its path, or inside the value it adds). */
function writesTrue(op: JsonPatchOp, field: string): boolean {
  if (op.op === 'remove') return false;
  if (parsePointer(op.path).at(-1) === field) return op.value === true;
  const found = (value: unknown): boolean =>
    typeof value === 'object' && value !== null && Object.entries(value).some(([key, child]) => (key === field && child === true) || found(child));
  return found(op.value);
}

/** Pointers of every `runAsUser: 0` in the object. */
function rootUserPointers(object: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown, at: PathSegment[]): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const here = [...at, Array.isArray(value) ? Number(key) : key];
      if (key === 'runAsUser' && child === 0) out.push(toPointer(here));
      else walk(child, here);
    }
  };
  walk(object, []);
  return out;
}

function profileObject(value: string): Record<string, string> {
  if (value === 'RuntimeDefault') return { type: 'RuntimeDefault' };
  return { type: 'Localhost', localhostProfile: value.slice('Localhost:'.length) };
}

const appArmorAnnotation = 'container.apparmor.security.beta.kubernetes.io/';

interface Decision {
  /** Whether the fix writes a value this decision is about. */
  concerns(finding: Finding, patch: readonly JsonPatchOp[] | undefined, object: unknown): boolean;
  question(finding: Finding, object: unknown): string;
  /** The patch with the decided value, undefined while undecided, or a message when the value cannot be used. */
  decide(finding: Finding, object: unknown, patch: readonly JsonPatchOp[], values: DecisionValues): JsonPatchOp[] | string | undefined;
  /** Rules whose findings the decided fix brings by design (a lesser finding in place of the fixed one). */
  accepts?: string[];
}

const decisions: Decision[] = [
  {
    concerns: (_finding, patch) => patch !== undefined && touches(patch, (segments) => segments.includes('runAsUser')),
    question: () => 'the non-root UID the containers run as (the image must support it): give --run-as-user <uid>',
    decide(_finding, _object, patch, { runAsUser }) {
      if (runAsUser === undefined) return undefined;
      if (!Number.isInteger(runAsUser) || runAsUser < 1) return `--run-as-user must be a UID of 1 or more, not ${runAsUser}`;
      return patch.map((op) =>
        parsePointer(op.path).at(-1) === 'runAsUser' ? { op: op.op === 'add' ? 'add' : 'replace', path: op.path, value: runAsUser } : op,
      );
    },
  },
  {
    // runAsNonRoot: true beside an explicit runAsUser: 0 stops the pod from starting: both change together.
    concerns: (_finding, patch, object) =>
      patch !== undefined && patch.some((op) => op.op !== 'remove' && writesTrue(op, 'runAsNonRoot')) && rootUserPointers(object).length > 0,
    question: () => 'the non-root UID that replaces runAsUser: 0 (runAsNonRoot: true beside it would stop the pod from starting): give --run-as-user <uid>',
    decide(_finding, object, patch, { runAsUser }) {
      if (runAsUser === undefined) return undefined;
      if (!Number.isInteger(runAsUser) || runAsUser < 1) return `--run-as-user must be a UID of 1 or more, not ${runAsUser}`;
      return [...patch, ...rootUserPointers(object).map((path): JsonPatchOp => ({ op: 'replace', path, value: runAsUser }))];
    },
  },
  {
    concerns: (_finding, patch) => patch !== undefined && touches(patch, (segments) => segments.includes('seccompProfile')),
    question: () => 'the seccomp profile the workload can run under (RuntimeDefault blocks syscalls a few programs need): give --seccomp-profile RuntimeDefault or Localhost:<profile>',
    decide(_finding, _object, patch, { seccompProfile }) {
      if (seccompProfile === undefined) return undefined;
      if (!profilePattern.test(seccompProfile)) return `--seccomp-profile must be RuntimeDefault or Localhost:<profile>, not ${seccompProfile}`;
      return patch.map((op) => rewriteField(op, (key) => key === 'seccompProfile', () => profileObject(seccompProfile)));
    },
  },
  {
    concerns: (_finding, patch) =>
      patch !== undefined && touches(patch, (segments) => segments.includes('appArmorProfile') || segments.some((s) => s.startsWith(appArmorAnnotation))),
    question: () => 'the AppArmor profile the workload can run under: give --apparmor-profile RuntimeDefault or Localhost:<profile>',
    decide(_finding, _object, patch, { appArmorProfile }) {
      if (appArmorProfile === undefined) return undefined;
      if (!profilePattern.test(appArmorProfile)) return `--apparmor-profile must be RuntimeDefault or Localhost:<profile>, not ${appArmorProfile}`;
      const annotationValue = appArmorProfile === 'RuntimeDefault' ? 'runtime/default' : `localhost/${appArmorProfile.slice('Localhost:'.length)}`;
      return patch.map((op) => {
        const withField = rewriteField(op, (key) => key === 'appArmorProfile', () => profileObject(appArmorProfile));
        return rewriteField(withField, (key) => key.startsWith(appArmorAnnotation), () => annotationValue);
      });
    },
  },
  {
    concerns: (_finding, patch) => patch !== undefined && touches(patch, (segments) => segments.includes('limits') && segments.includes('resources')),
    question: () => 'the CPU and memory limits (the fix sets them to the current requests): measure usage, then give --limits-from-requests',
    decide: (_finding, _object, patch, { limitsFromRequests }) => (limitsFromRequests ? [...patch] : undefined),
  },
  {
    concerns: (_finding, patch) => patch !== undefined && touches(patch, (segments) => segments.includes('secretKeyRef')),
    question: (finding) =>
      `where the credential goes: rotate it, create the Secret the fix names (${finding.fix?.description ?? ''}), then give --env-to-secret`,
    decide: (_finding, _object, patch, { envToSecret }) => (envToSecret ? [...patch] : undefined),
    // A secretKeyRef is the drop-in replacement for the literal; secret-env-var then suggests a mounted file instead.
    accepts: ['secret-env-var'],
  },
  {
    concerns: (finding, patch) => patch === undefined && finding.ruleId === 'image-not-pinned-by-digest',
    question: (finding, object) => `the digest of ${String(getIn(object, segmentsOfPath(finding.path)))}: give --image-digest <image>=sha256:<digest> (from \`crane digest\` or your registry)`,
    decide(finding, object, _patch, { imageDigests }) {
      const segments: PathSegment[] = segmentsOfPath(finding.path);
      const image = getIn(object, segments);
      if (typeof image !== 'string') return `${finding.path} is not an image reference`;
      const digest = imageDigests?.[image.trim()];
      if (digest === undefined) return undefined;
      if (!digestPattern.test(digest)) return `--image-digest for ${image} must be sha256:<64 lowercase hex digits>, not ${digest}`;
      return [{ op: 'replace', path: toPointer(segments), value: `${image.trim().split('@')[0]}@${digest}` }];
    },
  },
];

/**
 * What `periscope fix` would apply for a finding on `object`: its own patch, the patch with the decided values, or the
 * question a person must answer first. Undefined when the finding has no fix at all.
 */
export function resolveFix(finding: Finding, object: unknown, values: DecisionValues): Resolution | undefined {
  const patch = finding.fix?.patch;
  let resolved = patch ? [...patch] : undefined;
  const accepts: string[] = [];
  for (const decision of decisions) {
    if (!decision.concerns(finding, resolved, object)) continue;
    const decided = decision.decide(finding, object, resolved ?? [], values);
    if (decided === undefined) return { kind: 'decision', question: decision.question(finding, object) };
    if (typeof decided === 'string') return { kind: 'invalid', message: decided };
    resolved = decided;
    accepts.push(...(decision.accepts ?? []));
  }
  return resolved ? { kind: 'patch', patch: resolved, accepts } : undefined;
}
