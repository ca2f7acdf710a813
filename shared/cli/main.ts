#!/usr/bin/env node
// The `periscope` command line.
import { run } from './program.ts';

process.exitCode = await run(process.argv);
