// No file may import a file that imports it back, directly or round a longer circle, not even
// for types only: a circle makes the two unreadable (and untestable) without each other, and at
// run time decides which module sees the other half-built.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, sourceFiles } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('imports', () => {
  it('form no circle in src/ and scenes/', () => {
    const graph = importGraph(ROOT, sourceFiles(ROOT, ['src', 'scenes']));
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map((cycle) => cycle.join(' ↔ '))).toEqual([]);
  });

  it('are all seen, type-only and re-exports included (the check finds a circle it is shown)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    // src/app/types.ts imports nothing but types.
    const types = importGraph(ROOT, sourceFiles(ROOT, ['src'])).get('src/app/types.ts');
    expect(types).toEqual(expect.arrayContaining(['src/app/access.ts', 'src/engine/types.ts', 'src/services/index.ts']));
  });
});
