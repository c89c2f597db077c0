import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * locales/ and data/ sit at the repository root, which is two levels above this file when run
 * from src/ (tsx) and three when run from dist/src/ (built): look upwards for them.
 */
export function findInRepo(relative: string, start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 5; i += 1) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error(`${relative} not found above ${start}`);
}
