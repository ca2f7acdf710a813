// `npm run -s periscope -- scan -f k8s/` runs the CLI from the package root, whatever directory the user typed it in;
// npm says where that was in INIT_CWD. Relative paths on the command line are the user's, so they resolve there.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Periscope's own package.json, above this file (in the source tree and in dist/ alike). */
function ownPackageJson(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The directory relative paths should resolve against, when it is not the current one: INIT_CWD, but only when npm
 * runs one of Periscope's own scripts (`npm run periscope` in a checkout: npm_package_json is our package.json and
 * the current directory its root). A project's own script that calls `periscope` keeps its package root, where the
 * paths in that script were written.
 */
export function userWorkingDir(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  packageJson: string | undefined = ownPackageJson(),
): string | undefined {
  const initCwd = env.INIT_CWD;
  if (!initCwd || !env.npm_package_json || !packageJson) return undefined;
  if (resolve(env.npm_package_json) !== resolve(packageJson)) return undefined;
  if (resolve(cwd) !== dirname(resolve(packageJson))) return undefined;
  if (resolve(initCwd) === resolve(cwd) || !existsSync(initCwd)) return undefined;
  return resolve(initCwd);
}
