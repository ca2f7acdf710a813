// The event detections: one line per detection, sorted by id. Adding one = one file, one test, one line here.
import type { AnyDetection } from '../detection.ts';
import anonymousAllowed from './anonymous-allowed.ts';
import bindingClusterAdmin from './binding-cluster-admin.ts';
import defenseDeleted from './defense-deleted.ts';
import podExec from './pod-exec.ts';
import secretReadUnusual from './secret-read-unusual.ts';
import serviceAccountOutside from './service-account-outside.ts';

export const detections: readonly AnyDetection[] = [
  anonymousAllowed,
  bindingClusterAdmin,
  defenseDeleted,
  podExec,
  secretReadUnusual,
  serviceAccountOutside,
];

export function detectionById(id: string): AnyDetection | undefined {
  return detections.find((detection) => detection.id === id);
}
