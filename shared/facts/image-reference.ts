// Container image references (`[registry[:port]/]repository[:tag][@digest]`) split into their parts.

export interface ImageReference {
  /** Registry host (and port) when the reference names one: `localhost:5000`, `123.dkr.ecr.eu-west-1.amazonaws.com`. */
  registry?: string;
  repository: string;
  tag?: string;
  /** `sha256:...` when pinned. */
  digest?: string;
}

/** The parts of an image reference, or undefined when it is empty. Tolerant: it never throws on odd input. */
export function parseImageReference(raw: string): ImageReference | undefined {
  const reference = raw.trim();
  if (reference === '') return undefined;
  const at = reference.indexOf('@');
  const name = at === -1 ? reference : reference.slice(0, at);
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  // A colon after the last slash separates the tag; one before it belongs to a registry port.
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const path = colon === -1 ? name : name.slice(0, colon);
  const tag = colon === -1 ? undefined : name.slice(colon + 1);
  const firstSlash = path.indexOf('/');
  const first = firstSlash === -1 ? undefined : path.slice(0, firstSlash);
  const isRegistry = first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost');
  const out: ImageReference = { repository: isRegistry ? path.slice(firstSlash + 1) : path };
  if (isRegistry) out.registry = first;
  if (tag) out.tag = tag;
  if (digest) out.digest = digest;
  return out;
}

/** Pinned by digest: the runtime pulls exactly that content, whatever the tag says. */
export function isPinned(reference: ImageReference): boolean {
  return reference.digest !== undefined;
}
