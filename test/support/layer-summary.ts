// A vitest reporter that ends `npm test` with one line per layer (test/layers.ts): its files,
// its tests and its time. Layers run side by side on the same workers, so "busy" (the sum of its
// files' own times: start-up, imports, hooks and tests) is what each layer costs, and "span"
// (its first file's start to its last file's end) overlaps with other layers' spans.
import type { Reporter, TestModule } from 'vitest/node';
import { LAYERS } from '../layers.js';

interface Tally {
  files: number;
  passed: number;
  failed: number;
  skipped: number;
  busyMs: number;
  firstStart: number;
  lastEnd: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export default class LayerSummary implements Reporter {
  private readonly started = Date.now();
  private readonly starts = new Map<string, number>();
  private readonly tallies = new Map<string, Tally>();

  onTestModuleStart(module: TestModule): void {
    this.starts.set(module.moduleId, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const name = module.project.name;
    const tally = this.tallies.get(name) ?? { files: 0, passed: 0, failed: 0, skipped: 0, busyMs: 0, firstStart: Infinity, lastEnd: 0 };
    const d = module.diagnostic();
    tally.files += 1;
    tally.busyMs += d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    tally.firstStart = Math.min(tally.firstStart, this.starts.get(module.moduleId) ?? this.started);
    tally.lastEnd = Math.max(tally.lastEnd, Date.now());
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') tally.passed += 1;
      else if (state === 'failed') tally.failed += 1;
      else tally.skipped += 1;
    }
    this.tallies.set(name, tally);
  }

  onTestRunEnd(): void {
    const order = [...LAYERS.map((l) => l.name), 'unsorted'];
    const lines = ['', 'Time per layer (test/layers.ts):'];
    for (const name of order) {
      const t = this.tallies.get(name);
      if (!t) continue;
      const failed = t.failed ? `, ${t.failed} failed` : '';
      const skipped = t.skipped ? `, ${t.skipped} skipped` : '';
      lines.push(
        `  ${name.padEnd(12)} ${String(t.files).padStart(3)} files ${String(t.passed).padStart(4)} passed${failed}${skipped}` +
          `   busy ${seconds(t.busyMs).padStart(8)}   span ${seconds(t.lastEnd - t.firstStart).padStart(8)}`,
      );
    }
    if (this.tallies.has('unsorted')) lines.push('  (unsorted: files no layer names; add them to test/layers.ts)');
    lines.push(`  all layers: ${seconds(Date.now() - this.started)} wall`);
    console.log(lines.join('\n'));
  }
}
