// The one label selector: the cases of both former implementations, NetworkPolicy podSelectors (network rules) and
// ClusterRole aggregation (rbac), plus Service selectors.
import { describe, expect, it } from 'vitest';
import { isEmptySelector, labelSelectorMatches, serviceSelectorMatches } from '../../shared/facts/label-selector.ts';

const web = { app: 'web', tier: 'frontend' };

describe('labelSelectorMatches: NetworkPolicy podSelector', () => {
  it('an empty selector selects every pod', () => {
    expect(labelSelectorMatches({}, web)).toBe(true);
    expect(labelSelectorMatches({}, {})).toBe(true);
    expect(labelSelectorMatches({ matchLabels: {}, matchExpressions: [] }, web)).toBe(true);
  });

  it('matchLabels needs every pair', () => {
    expect(labelSelectorMatches({ matchLabels: { app: 'web' } }, web)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, web)).toBe(false);
    expect(labelSelectorMatches({ matchLabels: { app: 'web' } }, {})).toBe(false);
  });

  it('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
    const one = (expression: Record<string, unknown>) => labelSelectorMatches({ matchExpressions: [expression] }, web);
    expect(one({ key: 'app', operator: 'In', values: ['api', 'web'] })).toBe(true);
    expect(one({ key: 'app', operator: 'In', values: ['api'] })).toBe(false);
    expect(one({ key: 'missing', operator: 'In', values: ['web'] })).toBe(false);
    expect(one({ key: 'app', operator: 'In' })).toBe(false);
    expect(one({ key: 'app', operator: 'NotIn', values: ['api'] })).toBe(true);
    expect(one({ key: 'app', operator: 'NotIn', values: ['web'] })).toBe(false);
    expect(one({ key: 'missing', operator: 'NotIn', values: ['web'] })).toBe(true);
    expect(one({ key: 'tier', operator: 'Exists' })).toBe(true);
    expect(one({ key: 'missing', operator: 'Exists' })).toBe(false);
    expect(one({ key: 'missing', operator: 'DoesNotExist' })).toBe(true);
    expect(one({ key: 'tier', operator: 'DoesNotExist' })).toBe(false);
  });

  it('matchLabels and every expression must all hold', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'tier', operator: 'In', values: ['backend'] }] };
    expect(labelSelectorMatches(selector, web)).toBe(false);
    expect(labelSelectorMatches({ ...selector, matchExpressions: selector.matchExpressions.slice(0, 1) }, web)).toBe(true);
  });
});

describe('labelSelectorMatches: ClusterRole aggregation', () => {
  const aggregated = { 'rbac.example.com/aggregate-to-monitoring': 'true', 'kubernetes.io/bootstrapping': 'rbac-defaults' };

  it('selects the ClusterRoles whose labels match a clusterRoleSelector', () => {
    expect(labelSelectorMatches({ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }, aggregated)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'false' } }, aggregated)).toBe(false);
  });

  it('a malformed selector selects nothing (an aggregated role never picks up every ClusterRole by mistake)', () => {
    expect(labelSelectorMatches(undefined, aggregated)).toBe(false);
    expect(labelSelectorMatches(null, aggregated)).toBe(false);
    expect(labelSelectorMatches('app=web', aggregated)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: ['app'] }, aggregated)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ operator: 'Exists' }] }, aggregated)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'kubernetes.io/bootstrapping', operator: 'Matches' }] }, aggregated)).toBe(false);
  });

  it('a non-object matchLabels or matchExpressions is no constraint', () => {
    expect(labelSelectorMatches({ matchLabels: 'x', matchExpressions: 'y' }, aggregated)).toBe(true);
  });

  it('compares values as written: labels read straight from a manifest are not coerced to strings', () => {
    const numeric = { tier: 1 };
    expect(labelSelectorMatches({ matchLabels: { tier: 1 } }, numeric)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { tier: '1' } }, numeric)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: [1] }] }, numeric)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [1] }] }, numeric)).toBe(false);
  });
});

describe('isEmptySelector', () => {
  it('is true for a selector without terms only', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
    expect(isEmptySelector({ matchLabels: { app: 'web' } })).toBe(false);
    expect(isEmptySelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })).toBe(false);
    expect(isEmptySelector(undefined)).toBe(false);
  });
});

describe('serviceSelectorMatches', () => {
  it('needs a non-empty map whose every pair the labels carry', () => {
    expect(serviceSelectorMatches({ app: 'web' }, web)).toBe(true);
    expect(serviceSelectorMatches({ app: 'web', tier: 'backend' }, web)).toBe(false);
    expect(serviceSelectorMatches({}, web)).toBe(false);
    expect(serviceSelectorMatches(undefined, web)).toBe(false);
  });
});
