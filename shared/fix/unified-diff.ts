// A unified diff (`diff -u`, what `git apply` and `patch -p1` read) of two texts, with Myers' O((N+M)D) algorithm:
// fixes change a few lines of large files.

/** A line kept, removed or added, with its index in the old text (`a`) and the new one (`b`). */
export type Edit = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The line edits that turn `a` into `b`, in order. */
export function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push([...v]);
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) {
        found = true;
        break;
      }
    }
  }
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ kind: ' ', line: a[x]!, a: x, b: y });
    }
    if (d > 0) {
      if (x === prevX) {
        y--;
        edits.push({ kind: '+', line: b[y]!, a: x, b: y });
      } else {
        x--;
        edits.push({ kind: '-', line: a[x]!, a: x, b: y });
      }
    }
  }
  return edits.reverse();
}

/** `--- a/<file>` / `+++ b/<file>` (a relative path; an absolute one is used as is) hunks with `context` lines around each change; empty when the texts are equal. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = lineEdits(a, b);
  const [from, to] = file.startsWith('/') ? [file, file] : [`a/${file}`, `b/${file}`];
  const out = [`--- ${from}`, `+++ ${to}`];
  let i = 0;
  while (i < edits.length) {
    while (i < edits.length && edits[i]!.kind === ' ') i++;
    if (i >= edits.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 × context lines.
    for (;;) {
      while (end < edits.length && edits[end]!.kind !== ' ') end++;
      let gap = end;
      while (gap < edits.length && edits[gap]!.kind === ' ') gap++;
      if (gap < edits.length && gap - end <= 2 * context) end = gap;
      else {
        end = Math.min(edits.length, end + context);
        break;
      }
    }
    const earlier = edits.slice(0, start);
    const oldStart = earlier.filter((e) => e.kind !== '+').length;
    const newStart = earlier.filter((e) => e.kind !== '-').length;
    const hunk = edits.slice(start, end);
    const oldCount = hunk.filter((e) => e.kind !== '+').length;
    const newCount = hunk.filter((e) => e.kind !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldStart : oldStart + 1},${oldCount} +${newCount === 0 ? newStart : newStart + 1},${newCount} @@`);
    for (const edit of hunk) {
      out.push(`${edit.kind}${edit.line}`);
      const lastOfOld = edit.kind !== '+' && edit.a === a.length - 1 && !before.endsWith('\n');
      const lastOfNew = edit.kind !== '-' && edit.b === b.length - 1 && !after.endsWith('\n');
      if (lastOfOld || lastOfNew) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  return out.join('\n') + '\n';
}
