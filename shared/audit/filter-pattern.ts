// CloudWatch Logs JSON filter patterns built from a small tree, so one definition renders the subscription filter's
// pattern and evaluates it here (tests and the benchmark check that what the detections need gets through).
// Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html — at most 1024
// characters and 2 regular expressions per pattern; a regex is written between `%`, with no `(` `)`.

export type FilterTerm =
  | { op: 'eq' | 'ne'; field: string; value: string }
  /** Matches when the field's string value contains one of the alternatives (a superset is fine: the Lambda
   * judges each event again; the pattern only has to keep the volume down within 1024 characters). */
  | { op: 'regex'; field: string; alternatives: readonly string[] }
  | { op: 'and' | 'or'; terms: readonly FilterTerm[] };

export const maxFilterPatternLength = 1024;
export const maxRegexPerPattern = 2;

export const eq = (field: string, value: string): FilterTerm => ({ op: 'eq', field, value });
export const ne = (field: string, value: string): FilterTerm => ({ op: 'ne', field, value });
export const oneOf = (field: string, alternatives: readonly string[]): FilterTerm => ({ op: 'regex', field, alternatives });
export const and = (...terms: FilterTerm[]): FilterTerm => ({ op: 'and', terms });
export const or = (...terms: FilterTerm[]): FilterTerm => ({ op: 'or', terms });

const regexSafe = /^[A-Za-z0-9_#=@/;,:.-]+$/;

function renderTerm(term: FilterTerm, nested: boolean): string {
  switch (term.op) {
    case 'eq':
    case 'ne':
      return `${term.field}${term.op === 'eq' ? '=' : '!='}"${term.value}"`;
    case 'regex':
      for (const alternative of term.alternatives) {
        if (!regexSafe.test(alternative)) throw new Error(`"${alternative}" has characters a CloudWatch Logs regex cannot hold`);
      }
      // An alternative containing another is matched by it already.
      return `${term.field}=%${term.alternatives
        .filter((a) => !term.alternatives.some((b) => b !== a && a.includes(b)))
        .map((a) => a.replaceAll('.', '\\.'))
        .join('|')}%`;
    case 'and':
    case 'or': {
      const text = term.terms.map((inner) => renderTerm(inner, true)).join(term.op === 'and' ? '&&' : '||');
      return nested && term.terms.length > 1 ? `(${text})` : text;
    }
  }
}

const same = (a: FilterTerm, b: FilterTerm): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether `term` only matches events `by` matches too: an equality a regex on the same field already covers. */
function covered(term: FilterTerm, by: FilterTerm): boolean {
  return term.op === 'eq' && by.op === 'regex' && term.field === by.field && !term.value.endsWith('*') && by.alternatives.some((a) => term.value.includes(a));
}

/**
 * The same pattern, shorter: nested ors flattened, ors of ands that share their first term factored
 * (`A&&B || A&&C` → `A&&(B||C)`), equalities a sibling regex already matches dropped.
 */
export function simplify(term: FilterTerm): FilterTerm {
  if (term.op !== 'and' && term.op !== 'or') return term;
  const inner = term.terms.map(simplify).flatMap((t) => (t.op === term.op ? t.terms : [t]));
  if (term.op === 'and') return inner.length === 1 ? inner[0]! : and(...inner);
  const groups: { head: FilterTerm | undefined; terms: FilterTerm[] }[] = [];
  for (const t of inner) {
    const head = t.op === 'and' ? t.terms[0] : undefined;
    const group = head && groups.find((g) => g.head && same(g.head, head));
    if (group) group.terms.push(t);
    else groups.push({ head, terms: [t] });
  }
  const factored = groups.flatMap((group): FilterTerm[] => {
    if (!group.head || group.terms.length === 1) return group.terms;
    const rests = group.terms.map((t) => (t.op !== 'and' ? t : t.terms.length > 2 ? and(...t.terms.slice(1)) : t.terms[1]!));
    return [and(group.head, simplify(or(...rests)))];
  });
  const kept = factored.filter((t) => !factored.some((other) => other !== t && covered(t, other)));
  return kept.length === 1 ? kept[0]! : or(...kept);
}

/** The pattern text, simplified; throws when it breaks a CloudWatch Logs limit (length, regex count). */
export function renderFilterPattern(pattern: FilterTerm): string {
  const term = simplify(pattern);
  const text = `{${renderTerm(term, false)}}`;
  const regexes = countRegexes(term);
  if (regexes > maxRegexPerPattern) throw new Error(`the filter pattern has ${regexes} regular expressions; CloudWatch Logs allows ${maxRegexPerPattern}`);
  if (text.length > maxFilterPatternLength) {
    throw new Error(`the filter pattern is ${text.length} characters; CloudWatch Logs allows ${maxFilterPatternLength}`);
  }
  return text;
}

function countRegexes(term: FilterTerm): number {
  if (term.op === 'regex') return 1;
  if (term.op === 'and' || term.op === 'or') return term.terms.reduce((sum, inner) => sum + countRegexes(inner), 0);
  return 0;
}

const paths = new Map<string, readonly string[]>();

/** `$.a.b` of a parsed log event, or undefined. */
function valueAt(event: unknown, field: string): unknown {
  let path = paths.get(field);
  if (!path) {
    path = field.replace(/^\$\./, '').split('.');
    paths.set(field, path);
  }
  let value: unknown = event;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A value with a trailing `*` matches as a prefix, as CloudWatch Logs wildcards do. */
function equals(actual: unknown, expected: string): boolean {
  if (typeof actual !== 'string') return false;
  return expected.endsWith('*') ? actual.startsWith(expected.slice(0, -1)) : actual === expected;
}

/** Whether CloudWatch Logs would deliver this (parsed JSON) log event. A missing field matches neither = nor !=. */
export function matchesFilter(term: FilterTerm, event: unknown): boolean {
  switch (term.op) {
    case 'eq':
      return equals(valueAt(event, term.field), term.value);
    case 'ne': {
      const actual = valueAt(event, term.field);
      return typeof actual === 'string' && !equals(actual, term.value);
    }
    case 'regex': {
      const actual = valueAt(event, term.field);
      return typeof actual === 'string' && term.alternatives.some((alternative) => actual.includes(alternative));
    }
    case 'and':
      return term.terms.every((inner) => matchesFilter(inner, event));
    case 'or':
      return term.terms.some((inner) => matchesFilter(inner, event));
  }
}
