// The `periscope` program: commander with every command registered, and how errors become exit codes.
import { Command, CommanderError } from 'commander';
import * as commands from './commands/index.ts';
import { CliError, exitCodes } from './errors.ts';
import { printableLines } from './output.ts';
import { periscopeVersion } from './version.ts';

export function createProgram(): Command {
  const program = new Command('periscope')
    .description('Agentless Kubernetes security scanner for EKS fleets')
    .version(periscopeVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`periscope: ${printableLines(text.replace(/^error: /, ''))}`) });
  // Subcommands inherit exitOverride and the output configuration from here.
  for (const register of Object.values(commands)) register(program);
  return program;
}

/** Runs the CLI and returns the exit code; user errors are one line on stderr, never a stack trace. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.error;
    }
    if (error instanceof CliError) {
      process.stderr.write(`periscope: ${printableLines(error.message)}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`periscope: unexpected error: ${printableLines(message)}\n`);
    if (process.env.PERISCOPE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('periscope: set PERISCOPE_DEBUG=1 for the stack trace, and report it\n');
    return exitCodes.error;
  }
}
