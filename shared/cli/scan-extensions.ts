// The extensions of `periscope scan`, one line each: snapshot sources first, then exceptions, stores...
import { manifestSource } from './manifest-source.ts';
import type { ScanExtension } from './scan-extension.ts';

export const scanExtensions: readonly ScanExtension[] = [manifestSource];
