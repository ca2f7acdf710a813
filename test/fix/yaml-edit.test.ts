import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { addressObjects, editYamlObject, YamlEditError } from '../../shared/fix/yaml-edit.ts';

// What people write: comments, quoting styles, flow maps, 4-space indentation, lists flush with their key, blank lines.
const manifest = `# The shop's web tier.
apiVersion: apps/v1
kind: Deployment
metadata:
    name: "web"      # quoted on purpose
    labels: {app: web, tier: 'front'}
spec:
    template:
        spec:
            containers:
            - name: app
              image: 'nginx:1.27'
              securityContext:
                  privileged: true   # TODO(team): drop this
                  runAsUser: 0

              ports:
              - containerPort: 80
                hostPort: 80
---
# Second document, untouched.
apiVersion: v1
kind: Service
metadata: {name: web,   namespace: shop}
`;

const lines = (text: string): string[] => text.split('\n');
/** The lines of `after` that are not in `before`, and the reverse: what an edit changed. */
function changed(before: string, after: string): { added: string[]; removed: string[] } {
  const a = lines(before);
  const b = lines(after);
  return { added: b.filter((line) => !a.includes(line)), removed: a.filter((line) => !b.includes(line)) };
}

describe('editYamlObject', () => {
  it('addresses every object by document, with its start line', () => {
    expect(addressObjects(manifest).map(({ address, line }) => ({ address, line }))).toEqual([
      { address: { document: 0 }, line: 2 },
      { address: { document: 1 }, line: 22 },
    ]);
  });

  it('replaces a scalar in place, keeping the comment after it', () => {
    const after = editYamlObject(manifest, { document: 0 }, [
      { op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false },
    ]);
    expect(changed(manifest, after)).toEqual({
      added: ['                  privileged: false   # TODO(team): drop this'],
      removed: ['                  privileged: true   # TODO(team): drop this'],
    });
  });

  it('keeps the quoting of a replaced string', () => {
    const after = editYamlObject(manifest, { document: 0 }, [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27@sha256:' + 'a'.repeat(64) },
    ]);
    expect(after).toContain(`              image: 'nginx:1.27@sha256:${'a'.repeat(64)}'\n`);
  });

  it("adds keys and nested blocks at the file's own indentation and list style", () => {
    const after = editYamlObject(manifest, { document: 0 }, [
      { op: 'add', path: '/spec/template/spec/containers/0/securityContext/capabilities', value: { drop: ['ALL'] } },
      { op: 'add', path: '/spec/template/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } },
    ]);
    expect(after).toContain(
      ['                  runAsUser: 0', '                  capabilities:', '                      drop:', '                      - ALL', ''].join('\n'),
    );
    expect(after).toContain(
      ['                hostPort: 80', '            securityContext:', '                seccompProfile:', '                    type: RuntimeDefault', '---'].join('\n'),
    );
    expect(changed(manifest, after).removed).toEqual([]);
  });

  it('removes a key with its line, and the first key of a list item without losing the dash', () => {
    const text = 'kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - hostPort: 1\n    name: a\n';
    const after = editYamlObject(text, { document: 0 }, [{ op: 'remove', path: '/spec/containers/0/hostPort' }]);
    expect(after).toBe('kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n');
    const removed = editYamlObject(manifest, { document: 0 }, [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext/runAsUser' }]);
    expect(changed(manifest, removed)).toEqual({ added: [], removed: ['                  runAsUser: 0'] });
  });

  it('writes an emptied mapping or list as {} or []', () => {
    const text = 'kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions:\n      level: s0\n  sysctls:\n  - name: kernel.x\n';
    const after = editYamlObject(text, { document: 0 }, [
      { op: 'remove', path: '/spec/securityContext/seLinuxOptions/level' },
      { op: 'remove', path: '/spec/sysctls/0' },
    ]);
    expect(after).toBe('kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {}\n  sysctls: []\n');
  });

  it('appends to and removes from block lists, and edits flow collections on their line', () => {
    const text = 'kind: Pod\napiVersion: v1\nmetadata: {name: p, labels: {a: "1"}}\nspec:\n  drop:\n    - NET_RAW\n  add: [SYS_ADMIN, NET_ADMIN]\n';
    const after = editYamlObject(text, { document: 0 }, [
      { op: 'add', path: '/spec/drop/-', value: 'ALL' },
      { op: 'remove', path: '/spec/add/0' },
      { op: 'add', path: '/metadata/annotations', value: { x: 'yes' } },
    ]);
    expect(after).toBe('kind: Pod\napiVersion: v1\nmetadata: { name: p, labels: { a: "1" }, annotations: { x: "yes" } }\nspec:\n  drop:\n    - NET_RAW\n    - ALL\n  add: [ NET_ADMIN ]\n');
  });

  it('leaves the other documents, the separators and the comments byte for byte', () => {
    const after = editYamlObject(manifest, { document: 0 }, [
      { op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false },
    ]);
    const tail = manifest.slice(manifest.indexOf('---'));
    expect(after.endsWith(tail)).toBe(true);
    expect(after.startsWith("# The shop's web tier.\n")).toBe(true);
  });

  it('edits an item of a List', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    hostNetwork: true\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n  spec:\n    hostNetwork: true\n';
    expect(addressObjects(text).map((entry) => entry.address)).toEqual([{ document: 0, item: 0 }, { document: 0, item: 1 }]);
    const after = editYamlObject(text, { document: 0, item: 1 }, [{ op: 'replace', path: '/spec/hostNetwork', value: false }]);
    expect(after).toBe(text.replace(/hostNetwork: true\n$/, 'hostNetwork: false\n'));
  });

  it('keeps CRLF line endings', () => {
    const crlf = manifest.replaceAll('\n', '\r\n');
    const after = editYamlObject(crlf, { document: 0 }, [
      { op: 'add', path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false },
    ]);
    expect(after.split('\r\n').length).toBe(crlf.split('\r\n').length + 1);
    expect(after.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('refuses a file that mixes CRLF and LF', () => {
    const mixed = manifest.replace('\n', '\r\n');
    expect(() => editYamlObject(mixed, { document: 0 }, [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext/runAsUser' }])).toThrow(
      /mixes CRLF and LF line endings/,
    );
  });

  it('refuses objects with anchors or aliases: an edit would change every place that shares the node', () => {
    const text = 'kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: &sc\n      privileged: true\n  - name: b\n    securityContext: *sc\n';
    const edit = () => editYamlObject(text, { document: 0 }, [{ op: 'replace', path: '/spec/containers/0/securityContext/privileged', value: false }]);
    expect(edit).toThrow(YamlEditError);
    expect(edit).toThrow(/uses YAML (anchors|aliases) \(line \d+\)/);
  });

  it('refuses a patch that no longer applies to the object', () => {
    expect(() => editYamlObject(manifest, { document: 0 }, [{ op: 'replace', path: '/spec/template/spec/volumes/0', value: {} }])).toThrow(
      /no longer matches the patch/,
    );
  });

  it('produces text that parses to exactly the patched object (checked on every edit)', () => {
    const after = editYamlObject(manifest, { document: 0 }, [
      { op: 'remove', path: '/spec/template/spec/containers/0/ports/0/hostPort' },
      { op: 'add', path: '/metadata/labels/team', value: 'on' },
    ]);
    const [first] = parseAllDocuments(after, { version: '1.1' }) as unknown as { toJS(): { metadata: { labels: Record<string, unknown> } } }[];
    // YAML 1.1 reads a bare `on` as true: the editor quotes it.
    expect(first!.toJS().metadata.labels.team).toBe('on');
  });
});
