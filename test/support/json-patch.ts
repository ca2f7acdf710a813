// The RFC 6902 applier tests use to prove that a suggested fix applies and works: the one `periscope fix` uses.
export { applyPatch } from '../../shared/fix/json-patch.ts';
