// What the Docker image holds, without Docker: a folder outside the repository with
// package.json, package-lock.json, dist/ (built by `npm run build`), locales/, data/ and the
// production dependencies installed from the lockfile (`npm ci --omit=dev`). The release smoke
// test starts the built entry points there, so a module that only a devDependency provides
// fails the test exactly as it would fail the container.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './service-processes.js';

const run = promisify(execFile);

/** The folders the Dockerfile's runtime stage copies next to node_modules. */
export const IMAGE_FOLDERS = ['dist', 'locales', 'data'] as const;

export interface ProductionInstall {
  /** The folder standing in for the image's /app. */
  dir: string;
  /** Milliseconds spent on each step, for the report. */
  timings: { build: number; install: number; copy: number };
  /** Whether the production node_modules came from the .tmp/ cache. */
  cached: boolean;
  remove(): Promise<void>;
}

/** Environment for processes started from the install: nothing that could find modules elsewhere. */
export function productionEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    // NODE_OPTIONS may carry vitest's or tsx's loaders; NODE_PATH would make missing modules resolvable.
    if (key === 'NODE_OPTIONS' || key === 'NODE_PATH' || key.startsWith('VITEST') || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  return { ...env, NODE_ENV: 'production', ...extra };
}

/** The cache key: what `npm ci` reads. A changed lockfile or package.json gets a fresh install. */
function lockHash(root: string): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  hash.update(readFileSync(path.join(root, 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Production node_modules installed from the lockfile once per lockfile, under
 * .tmp/prod-modules/<hash>/ (npm ci takes most of a minute on a cold cache, seconds on a warm one).
 */
async function productionModules(root: string): Promise<{ dir: string; cached: boolean }> {
  const base = path.join(root, '.tmp', 'prod-modules');
  const key = lockHash(root);
  const ready = path.join(base, key);
  if (existsSync(path.join(ready, 'node_modules', '.package-lock.json'))) return { dir: path.join(ready, 'node_modules'), cached: true };

  await mkdir(base, { recursive: true });
  const staging = await mkdtemp(path.join(base, `staging-${key}-`));
  try {
    for (const file of ['package.json', 'package-lock.json']) await cp(path.join(root, file), path.join(staging, file));
    // The same command as the Dockerfile's runtime dependencies (plus the local cache).
    await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: staging,
      env: productionEnv({}),
      maxBuffer: 16 * 1024 * 1024,
    });
    // Old installs are not wanted once the lockfile moved on.
    for (const old of await readdir(base)) {
      if (old !== key && !old.startsWith('staging-')) await rm(path.join(base, old), { recursive: true, force: true });
    }
    // A parallel run may have finished first: either copy is the same install.
    await rename(staging, ready).catch(async () => rm(staging, { recursive: true, force: true }));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { dir: path.join(ready, 'node_modules'), cached: false };
}

/**
 * Builds with `npm run build` and lays out the image's files in a fresh folder under the system
 * temp directory (never inside the repository: Node would find the repository's dev
 * node_modules by walking up from there).
 */
export async function createProductionInstall(): Promise<ProductionInstall> {
  const root = repoRoot();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'komek-release-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const t0 = Date.now();
    // `npm run build` as the Dockerfile runs it, with `--noCheck`: `npm test` type-checks the
    // whole project (a superset of the build's files) before any test runs, and the emitted
    // JavaScript is byte for byte the same (compared with `diff -r`). Checking again cost about
    // 23 s of CPU on a fresh clone, emitting alone about 7 s. Straight into the temp folder, so
    // Node never runs it inside the repository.
    await run('npm', ['run', 'build', '--', '--outDir', path.join(dir, 'dist'), '--noCheck'], {
      cwd: root,
      env: productionEnv({}),
      maxBuffer: 16 * 1024 * 1024,
    });
    const t1 = Date.now();
    const modules = await productionModules(root);
    const t2 = Date.now();
    for (const item of ['package.json', 'package-lock.json', 'locales', 'data']) {
      await cp(path.join(root, item), path.join(dir, item), { recursive: true });
    }
    // A copy, not a symlink: a link into the repository would let Node resolve the dependencies'
    // own imports from the repository's node_modules, dev packages included.
    await cp(modules.dir, path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    const t3 = Date.now();
    return { dir, timings: { build: t1 - t0, install: t2 - t1, copy: t3 - t2 }, cached: modules.cached, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Every node_modules folder above `dir`: each one is a place a missing module could be found. */
export function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  let current = path.dirname(dir);
  for (;;) {
    const candidate = path.join(current, 'node_modules');
    if (existsSync(candidate)) found.push(candidate);
    const parent = path.dirname(current);
    if (parent === current) return found;
    current = parent;
  }
}

/** Bare module specifiers (packages, not files or builtins) imported by one compiled file. */
export function bareImports(source: string): string[] {
  const specifiers = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      const spec = match[1]!;
      if (spec.startsWith('.') || spec.startsWith('/') || isBuiltin(spec)) continue;
      specifiers.add(spec);
    }
  }
  return [...specifiers];
}

/** The package a specifier names: `@scope/name` or `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every .js file under a folder, recursively. */
export function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(full));
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out;
}

/**
 * Resolves every bare import of every compiled file the way Node will at run time, from the
 * install folder; returns the ones that cannot be found, with the file that needs them.
 */
export async function unresolvedImports(install: string): Promise<string[]> {
  const wanted = new Map<string, string>();
  for (const file of jsFiles(path.join(install, 'dist'))) {
    for (const spec of bareImports(readFileSync(file, 'utf8'))) {
      if (!wanted.has(spec)) wanted.set(spec, path.relative(install, file));
    }
  }
  const probe = path.join(install, '.resolve-probe.mjs');
  await writeFile(
    probe,
    `const missing = [];
for (const [spec, file] of JSON.parse(process.argv[2])) {
  try { import.meta.resolve(spec); } catch (e) { missing.push(spec + ' (imported by ' + file + '): ' + e.code); }
}
process.stdout.write(JSON.stringify(missing));
`,
  );
  try {
    const { stdout } = await run(process.execPath, [probe, JSON.stringify([...wanted])], { cwd: install, env: productionEnv({}) });
    return JSON.parse(stdout) as string[];
  } finally {
    await rm(probe, { force: true });
  }
}
