/** `npm run verify` as a child process (what a member runs): its exit code and output. */
import { runCommand, type CommandResult } from './run-command.js';

export function runVerifyCli(args: string[]): Promise<CommandResult> {
  return runCommand('npm', ['run', '--silent', 'verify', '--', ...args]);
}
