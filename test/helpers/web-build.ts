/**
 * Browser tests need web/dist. ensureWebBuild() builds it (npm run build:web) when it is missing or
 * older than any source of the app, once: test files running in parallel wait on a lock directory
 * instead of building twice.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const WEB = join(ROOT, 'web');
export const WEB_DIST = join(WEB, 'dist');
const LOCK = join(WEB, '.build-lock');

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

export function webBuildIsStale(): boolean {
  const built = statSync(join(WEB_DIST, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestMtime(join(WEB, p))));
  return built === 0 || sources > built;
}

export async function ensureWebBuild(): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (!webBuildIsStale()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test file is building: wait for it, then look again. A lock older than 5 minutes is
      // left over from a killed run.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (webBuildIsStale()) execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'pipe' });
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
