import { describe, expect, it } from 'vitest';
import { and, eq, matchesFilter, oneOf, or, renderFilterPattern, simplify } from '../../shared/audit/filter-pattern.ts';

describe('filter patterns', () => {
  it('factors a shared first term and drops equalities a sibling regex covers, meaning the same', () => {
    const write = or(eq('$.verb', 'create'), eq('$.verb', 'delete'));
    const term = or(and(write, oneOf('$.objectRef.resource', ['pods', 'rolebindings'])), and(write, eq('$.objectRef.apiGroup', 'kyverno.io')), eq('$.objectRef.resource', 'pods'), oneOf('$.objectRef.resource', ['pods']));
    expect(renderFilterPattern(term)).toBe(
      '{(($.verb="create"||$.verb="delete")&&($.objectRef.resource=%pods|rolebindings%||$.objectRef.apiGroup="kyverno.io"))||$.objectRef.resource=%pods%}',
    );
    const events = [
      { verb: 'create', objectRef: { resource: 'pods' } },
      { verb: 'get', objectRef: { resource: 'pods' } },
      { verb: 'delete', objectRef: { resource: 'clusterpolicies', apiGroup: 'kyverno.io' } },
      { verb: 'get', objectRef: { resource: 'secrets' } },
    ];
    for (const event of events) expect(matchesFilter(simplify(term), event)).toBe(matchesFilter(term, event));
  });

  it('matches wildcards as prefixes and regex alternatives as substrings, as CloudWatch Logs does', () => {
    expect(matchesFilter(eq('$.userAgent', 'kubectl*'), { userAgent: 'kubectl/v1.31.2' })).toBe(true);
    expect(matchesFilter(eq('$.userAgent', 'kubectl*'), { userAgent: 'helm/3' })).toBe(false);
    expect(matchesFilter(oneOf('$.objectRef.resource', ['rolebindings']), { objectRef: { resource: 'clusterrolebindings' } })).toBe(true);
    expect(matchesFilter(eq('$.a.b', 'x'), { a: 'x' })).toBe(false);
  });

  it('refuses a pattern CloudWatch Logs would reject', () => {
    expect(() => renderFilterPattern(or(oneOf('$.a', ['x']), oneOf('$.b', ['y']), oneOf('$.c', ['z'])))).toThrow('3 regular expressions');
    expect(() => renderFilterPattern(or(...Array.from({ length: 60 }, (_, i) => eq('$.objectRef.name', `name-${i}`))))).toThrow(/characters; CloudWatch Logs allows 1024/);
    expect(() => renderFilterPattern(oneOf('$.a', ['a(b)']))).toThrow('cannot hold');
  });
});
