/** A command run as a child process from the project root, as a user runs it: its exit code and output. */
import { spawn } from 'node:child_process';
import { projectRoot } from '../../core/project-root.js';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Resolves once the process ended and its output streams closed (so nothing printed is missed). */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
