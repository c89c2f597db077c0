// Tests that start the bot as a process (SIGKILL, two processes, src/main.ts itself) start it
// from one plain-JS file built by esbuild, not through tsx's loader: every start then skips
// transpiling and resolving a few hundred TypeScript modules through loader hooks. Measured: a
// bot process ready in 2.1-3.5 s under tsx, 1.5 s from the built file (load 3.5-4 on 2 cores).
// It is the same code (tsx transpiles with esbuild too); the packages stay outside the file, so
// they load from node_modules exactly as under tsx, and src/paths.ts finds locales/ and data/ by
// looking upwards from .tmp/, as it does from src/.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join, parse, relative } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { repoRoot } from './service-processes.js';

/** What a built file may include: any change here makes a new one. */
const SOURCES = ['src', 'test/support', 'tsconfig.json', 'package-lock.json'];

function hashSources(root: string, entry: string): string {
  const hash = createHash('sha256').update(`${esbuildVersion}\0${entry}\0`);
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const entries = readdirSync(path, { withFileTypes: true });
    for (const item of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(path, item.name);
      if (item.isDirectory()) visit(full);
      else if (item.isFile() && /\.(ts|json)$/.test(item.name)) hash.update(`${relative(root, full)}\0`).update(readFileSync(full));
    }
  };
  for (const source of SOURCES) {
    const full = join(root, source);
    if (source.includes('.')) hash.update(`${source}\0`).update(existsSync(full) ? readFileSync(full) : '');
    else visit(full);
  }
  return hash.digest('hex').slice(0, 16);
}

const built = new Map<string, Promise<string>>();

/**
 * The path of `entry` (a .ts file relative to the repository root) built into one ES module under
 * .tmp/compiled-scripts/, named by a hash of the sources so a changed source is never run stale.
 * Test files running in parallel may build the same file at once: each writes its own temporary
 * file and renames it into place, so a reader sees a whole file or none.
 */
export function compiledScript(entry: string): Promise<string> {
  let path = built.get(entry);
  if (!path) {
    path = buildOnce(entry);
    built.set(entry, path);
    path.catch(() => built.delete(entry));
  }
  return path;
}

async function buildOnce(entry: string): Promise<string> {
  const root = repoRoot();
  const dir = join(root, '.tmp', 'compiled-scripts');
  const out = join(dir, `${parse(entry).name}-${hashSources(root, entry)}.cjs`);
  if (existsSync(out)) return out;
  await mkdir(dir, { recursive: true });
  const temporary = `${out}.${process.pid}.${Date.now()}.tmp`;
  await build({
    entryPoints: [join(root, entry)],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    // CommonJS: the packages are then loaded with require(), which skips Node's scan of each
    // CommonJS package for the names an ES module import needs (measured: the same packages
    // load in 0.85-1.2 s instead of 1.2-2.1 s). Node 20.19+ require()s the ES-only ones.
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // src/paths.ts finds locales/ from import.meta.url, which CommonJS lacks: the file's own URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    // No source map: reading one at every start cost ~150 ms; a stack trace still names the
    // functions, and the file is readable JavaScript next to its source.
    sourcemap: false,
    logLevel: 'silent',
  });
  await rename(temporary, out);
  return out;
}
