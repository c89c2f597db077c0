// The TypeScript entry points tests start as processes (a bot, the playground, the command-line
// scripts), bundled once per test run. `node --import tsx entry.ts` transpiles ~400 modules one by
// one through tsx's loader at every start: measured 2.0 s wall and 2.9 s CPU before the bot's
// code runs, against 1.2 s for the same modules as one bundle. Every restart, SIGKILL, playground
// and command test starts such processes, several of them more than once.
//
// The bundles hold only this repository's code (packages stay imports, resolved from the root's
// node_modules) and sit under .tmp/, inside the repository, so code that finds locales/ and data/
// by walking up from its own file (src/paths.ts) finds them as from src/. The release layer
// tests the production build (tsc's dist/) itself.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { inject } from 'vitest';
import { repoRoot } from './service-processes.js';

/** Every entry point a test starts as a process; a new one must be added here to run bundled. */
export const PROCESS_ENTRIES = [
  'test/support/bot-process.ts',
  'src/main.ts',
  'src/worker-main.ts',
  'src/playground-main.ts',
  'scripts/centres-import.ts',
  'scripts/centres-export.ts',
  'scripts/faq-import.ts',
  'scripts/faq-export.ts',
  'scripts/staff-access.ts',
];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's bundles of PROCESS_ENTRIES are ('' when they were not built). */
    entriesDir: string;
  }
}

/** Bundles PROCESS_ENTRIES into a directory of this run's own (~1 s); returns it and its removal. */
export async function bundleEntries(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const root = repoRoot();
  const parent = path.join(root, '.tmp', 'entries');
  const dir = path.join(parent, `run-${process.pid}`);
  await removeDeadRuns(parent);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const names = PROCESS_ENTRIES.map(bundleName);
  if (new Set(names).size !== names.length) throw new Error(`two entries share a file name: ${names.join(', ')}`);
  await build({
    absWorkingDir: root,
    // Flat (bot-process.mjs, main.mjs...): three levels below the root, within the five that
    // src/paths.ts looks up.
    entryPoints: Object.fromEntries(PROCESS_ENTRIES.map((entry) => [bundleName(entry), entry])),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Top-level await in the entries needs ESM; a `require` left in a package stays the package's.
    logLevel: 'error',
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A run killed before its teardown leaves its bundles behind: removed by the next run. */
async function removeDeadRuns(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bundleName(entry: string): string {
  return path.basename(entry, '.ts');
}

function bundlesDir(): string {
  // KOMEK_TEST_TSX=1 runs the TypeScript through tsx instead (stack traces name .ts lines).
  if (process.env.KOMEK_TEST_TSX === '1') return '';
  try {
    return inject('entriesDir');
  } catch {
    // Outside vitest (a benchmark reusing test/support): no bundles.
    return '';
  }
}

/**
 * The arguments for `node` that run `entry` (a path from the repository root, one of
 * PROCESS_ENTRIES): its bundle when this run built one, else the TypeScript through tsx.
 */
export function nodeArgsFor(entry: string): string[] {
  const dir = bundlesDir();
  if (dir && PROCESS_ENTRIES.includes(entry)) return [path.join(dir, `${bundleName(entry)}.mjs`)];
  return ['--import', 'tsx', path.join(repoRoot(), entry)];
}
