// What nearestRegion costs per shared location: 200,000 calls at random points in the rectangle
// around Kazakhstan, after a warm-up, and the old guess (nearest region centre) for comparison.
// `npm run bench:geo`; the figure is quoted in src/domain/geo.ts.
import { nearestRegion, regionsByDistance, type GeoPoint } from '../src/domain/geo.js';

const N = 200_000;
const points: GeoPoint[] = Array.from({ length: N }, () => ({ latitude: 40.5 + Math.random() * 15, longitude: 46.4 + Math.random() * 41 }));

function time(label: string, guess: (p: GeoPoint) => string): void {
  for (const p of points.slice(0, 20_000)) guess(p);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const p of points) sink += guess(p).length;
  const ns = Number(process.hrtime.bigint() - start) / N;
  console.log(`${label}: ${(ns / 1000).toFixed(2)} µs per call (${sink > 0 ? N : 0} calls)`);
}

time('nearestRegion (towns)', nearestRegion);
time('nearest region centre (before)', (p) => regionsByDistance(p)[0]!.key);
