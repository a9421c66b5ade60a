/** The benchmark parts run alone (`npx tsx bench/<part>.ts`) or imported by bench.ts. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether the module at `moduleUrl` is the script node was started with, not an import. */
export function isScript(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1]!) === fileURLToPath(moduleUrl);
}

/**
 * Runs `main` when the module at `moduleUrl` is the started script. A failure is printed briefly
 * (ethers errors embed whole transactions: 60 KB of calldata for a mintMany) and sets exit code 1.
 */
export async function runAsScript(moduleUrl: string, name: string, main: () => Promise<void>): Promise<void> {
  if (!isScript(moduleUrl)) return;
  try {
    await main();
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`[${name}] failed:`, text.length > 3000 ? `${text.slice(0, 3000)} ...` : text);
    process.exitCode = 1;
  }
}
