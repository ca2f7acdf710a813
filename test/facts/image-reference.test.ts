import { describe, expect, it } from 'vitest';
import { isPinned, parseImageReference } from '../../shared/facts/image-reference.ts';

const digest = 'sha256:' + 'b'.repeat(64);

describe('parseImageReference', () => {
  it('splits registry, repository, tag and digest', () => {
    expect(parseImageReference('nginx')).toEqual({ repository: 'nginx' });
    expect(parseImageReference('library/nginx:1.2')).toEqual({ repository: 'library/nginx', tag: '1.2' });
    expect(parseImageReference('localhost:5000/app')).toEqual({ registry: 'localhost:5000', repository: 'app' });
    expect(parseImageReference('localhost/app:1')).toEqual({ registry: 'localhost', repository: 'app', tag: '1' });
    expect(parseImageReference(`reg.io:443/a/b:v1@${digest}`)).toEqual({ registry: 'reg.io:443', repository: 'a/b', tag: 'v1', digest });
    expect(parseImageReference(`a/b@${digest}`)).toEqual({ repository: 'a/b', digest });
    expect(parseImageReference('  ')).toBeUndefined();
  });
});

describe('isPinned', () => {
  it('is true only with a digest', () => {
    expect(isPinned(parseImageReference(`app:1.2@${digest}`)!)).toBe(true);
    expect(isPinned(parseImageReference('app:1.2')!)).toBe(false);
  });
});
