// The extensions of `periscope scan`, one line each: snapshot sources first, then exceptions, stores...
import { exceptionsExtension } from './exceptions-extension.ts';
import { liveSource } from './live-source.ts';
import { manifestSource } from './manifest-source.ts';
import { ruleSettingsExtension } from './rule-settings-extension.ts';
import type { ScanExtension } from './scan-extension.ts';
import { storeExtension } from './store-extension.ts';

export const scanExtensions: readonly ScanExtension[] = [manifestSource, liveSource, exceptionsExtension, ruleSettingsExtension, storeExtension];
