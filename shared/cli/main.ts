#!/usr/bin/env node
// The `periscope` command line.
import { run } from './program.ts';
import { userWorkingDir } from './working-dir.ts';

// First of all, before any path is read: under `npm run periscope`, relative paths are the user's directory's.
const userDir = userWorkingDir();
if (userDir) process.chdir(userDir);
process.exitCode = await run(process.argv);
