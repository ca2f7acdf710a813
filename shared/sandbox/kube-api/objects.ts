// The emulator's object store: objects by kind in key order, a resource version, and continue tokens that expire.
import { isRecord, type KubeObject } from '../../model/kube.ts';
import { kindSpec, type KindSpec } from '../../kube/kinds.ts';

interface ContinueState {
  kind: string;
  namespace: string;
  after: string;
  generation: number;
  issuedAt: number;
}

export type PageResult =
  | { ok: true; items: KubeObject[]; continueToken?: string; remaining: number; resourceVersion: string }
  | { ok: false; status: 400 | 410; message: string; continueToken?: string };

export class ObjectStore {
  readonly #byKind = new Map<string, Map<string, KubeObject>>();
  #resourceVersion = 1;
  /** Bumped to expire every outstanding continue token at once (like an etcd compaction). */
  #generation = 0;

  constructor(objects: readonly KubeObject[] = []) {
    this.setObjects(objects);
  }

  get resourceVersion(): string {
    return String(this.#resourceVersion);
  }

  setObjects(objects: readonly KubeObject[]): void {
    this.#byKind.clear();
    for (const object of objects) this.#put(object);
    this.#resourceVersion += 1;
  }

  apply(object: KubeObject): void {
    this.#put(object);
    this.#resourceVersion += 1;
  }

  delete(kind: string, namespace: string | undefined, name: string): boolean {
    const removed = this.#byKind.get(kind)?.delete(keyOf(namespace, name)) ?? false;
    if (removed) this.#resourceVersion += 1;
    return removed;
  }

  expireContinueTokens(): void {
    this.#generation += 1;
  }

  count(): number {
    let total = 0;
    for (const objects of this.#byKind.values()) total += objects.size;
    return total;
  }

  /** One page of a list, starting after the continue token's key. */
  page(
    spec: KindSpec,
    namespace: string | undefined,
    limit: number | undefined,
    continueToken: string | undefined,
    options: { now: number; continueTtlMs: number },
  ): PageResult {
    let after = '';
    if (continueToken) {
      const state = decodeContinue(continueToken);
      if (!state || state.kind !== spec.kind || state.namespace !== (namespace ?? '')) {
        return { ok: false, status: 400, message: 'continue key is not valid for this list' };
      }
      if (state.generation !== this.#generation || options.now - state.issuedAt > options.continueTtlMs) {
        return {
          ok: false,
          status: 410,
          message:
            'The provided continue parameter is too old to display a consistent list result. You can start a new list ' +
            'without the continue parameter, or use the continue token in this response to retrieve the remainder of ' +
            'the results.',
          continueToken: encodeContinue({ ...state, generation: this.#generation, issuedAt: options.now }),
        };
      }
      after = state.after;
    }
    const all = [...(this.#byKind.get(spec.kind)?.entries() ?? [])]
      .filter(([key]) => namespace === undefined || key.startsWith(`${namespace}/`))
      .filter(([key]) => key > after)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const size = limit && limit > 0 ? limit : all.length;
    const chosen = all.slice(0, size);
    const remaining = all.length - chosen.length;
    const last = chosen.at(-1);
    const result: PageResult = {
      ok: true,
      items: chosen.map(([, object]) => object),
      remaining,
      resourceVersion: this.resourceVersion,
    };
    if (remaining > 0 && last) {
      result.continueToken = encodeContinue({
        kind: spec.kind,
        namespace: namespace ?? '',
        after: last[0],
        generation: this.#generation,
        issuedAt: options.now,
      });
    }
    return result;
  }

  #put(object: KubeObject): void {
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const spec = kindSpec(kind);
    const meta = isRecord(object.metadata) ? object.metadata : {};
    if (!spec) throw new Error(`The emulator does not serve kind "${kind}" (object ${String(meta.name)})`);
    if (typeof meta.name !== 'string') throw new Error(`A ${kind} given to the emulator has no metadata.name`);
    const namespace = spec.namespaced ? (typeof meta.namespace === 'string' ? meta.namespace : 'default') : undefined;
    let objects = this.#byKind.get(kind);
    if (!objects) this.#byKind.set(kind, (objects = new Map<string, KubeObject>()));
    objects.set(keyOf(namespace, meta.name), object);
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function encodeContinue(state: ContinueState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeContinue(token: string): ContinueState | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!isRecord(value)) return undefined;
    const { kind, namespace, after, generation, issuedAt } = value;
    if (typeof kind !== 'string' || typeof namespace !== 'string' || typeof after !== 'string') return undefined;
    if (typeof generation !== 'number' || typeof issuedAt !== 'number') return undefined;
    return { kind, namespace, after, generation, issuedAt };
  } catch {
    return undefined;
  }
}
