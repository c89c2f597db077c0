// Kazakhstan's border, for telling a location shared from a neighbouring country (Tashkent's
// suburbs aside, Bishkek, Omsk, Novosibirsk and Orenburg all lie inside the rectangle around
// Kazakhstan) from one at home.

import type { GeoPoint } from './geo.js';

/**
 * The outline as [longitude, latitude] pairs: Natural Earth's 1:110m admin-0 boundary (public
 * domain), with one point added at the Dzungarian Gate (82.62, 45.2), where the coarse line left
 * Dostyk, the border station, 28 km outside. Coarse on purpose: a hundred points, off the true line by up to about 15 km, which is
 * why BORDER_MARGIN_KM exists.
 */
const OUTLINE: ReadonlyArray<readonly [number, number]> = [
  [70.962315, 42.266154], [70.388965, 42.081308], [69.070027, 41.384244], [68.632483, 40.668681], [68.259896, 40.662325],
  [67.985856, 41.135991], [66.714047, 41.168444], [66.510649, 41.987644], [66.023392, 41.994646], [66.098012, 42.99766],
  [64.900824, 43.728081], [63.185787, 43.650075], [62.0133, 43.504477], [61.05832, 44.405817], [60.239972, 44.784037],
  [58.689989, 45.500014], [58.503127, 45.586804], [55.928917, 44.995858], [55.968191, 41.308642], [55.455251, 41.259859],
  [54.755345, 42.043971], [54.079418, 42.324109], [52.944293, 42.116034], [52.50246, 41.783316], [52.446339, 42.027151],
  [52.692112, 42.443895], [52.501426, 42.792298], [51.342427, 43.132975], [50.891292, 44.031034], [50.339129, 44.284016],
  [50.305643, 44.609836], [51.278503, 44.514854], [51.316899, 45.245998], [52.16739, 45.408391], [53.040876, 45.259047],
  [53.220866, 46.234646], [53.042737, 46.853006], [52.042023, 46.804637], [51.191945, 47.048705], [50.034083, 46.60899],
  [49.10116, 46.39933], [48.593241, 46.561034], [48.694734, 47.075628], [48.057253, 47.743753], [47.315231, 47.715847],
  [46.466446, 48.394152], [47.043672, 49.152039], [46.751596, 49.356006], [47.54948, 50.454698], [48.577841, 49.87476],
  [48.702382, 50.605128], [50.766648, 51.692762], [52.328724, 51.718652], [54.532878, 51.02624], [55.716941, 50.621717],
  [56.777961, 51.043551], [58.363291, 51.063653], [59.642282, 50.545442], [59.932807, 50.842194], [61.337424, 50.79907],
  [61.588003, 51.272659], [59.967534, 51.96042], [60.927269, 52.447548], [60.739993, 52.719986], [61.699986, 52.979996],
  [60.978066, 53.664993], [61.436591, 54.006265], [65.178534, 54.354228], [65.666876, 54.601267], [68.1691, 54.970392],
  [69.068167, 55.38525], [70.865267, 55.169734], [71.180131, 54.133285], [72.22415, 54.376655], [73.508516, 54.035617],
  [73.425679, 53.48981], [74.384845, 53.546861], [76.8911, 54.490524], [76.525179, 54.177003], [77.800916, 53.404415],
  [80.03556, 50.864751], [80.568447, 51.388336], [81.945986, 50.812196], [83.383004, 51.069183], [83.935115, 50.889246],
  [84.416377, 50.3114], [85.11556, 50.117303], [85.54127, 49.692859], [86.829357, 49.826675], [87.35997, 49.214981],
  [86.598776, 48.549182], [85.768233, 48.455751], [85.720484, 47.452969], [85.16429, 47.000956], [83.180484, 47.330031],
  [82.458926, 45.53965], [82.62, 45.2], [81.947071, 45.317027], [79.966106, 44.917517], [80.866206, 43.180362], [80.18015, 42.920068],
  [80.25999, 42.349999], [79.643645, 42.496683], [79.142177, 42.856092], [77.658392, 42.960686], [76.000354, 42.988022],
  [75.636965, 42.8779], [74.212866, 43.298339], [73.645304, 43.091272], [73.489758, 42.500894], [71.844638, 42.845395],
  [71.186281, 42.704293],
];

/**
 * How far outside the outline a location still counts as Kazakhstan: the outline's own error,
 * and a town on the border (Korday, Khorgos) must never be told it is abroad. Someone this close
 * across the border has Kazakhstan's centres as their nearest anyway.
 */
export const BORDER_MARGIN_KM = 20;

const KM_PER_DEGREE = 111.195;

function inside(point: GeoPoint): boolean {
  let result = false;
  for (let i = 0, j = OUTLINE.length - 1; i < OUTLINE.length; j = i++) {
    const [xi, yi] = OUTLINE[i]!;
    const [xj, yj] = OUTLINE[j]!;
    if (yi > point.latitude !== yj > point.latitude && point.longitude < ((xj - xi) * (point.latitude - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

/** Kilometres from the point to the outline (a flat projection around the point: fine at this scale). */
function kmToOutline(point: GeoPoint): number {
  const lonKm = KM_PER_DEGREE * Math.cos((point.latitude * Math.PI) / 180);
  const xy = ([lon, lat]: readonly [number, number]) => [(lon - point.longitude) * lonKm, (lat - point.latitude) * KM_PER_DEGREE] as const;
  let nearest = Infinity;
  for (let i = 0, j = OUTLINE.length - 1; i < OUTLINE.length; j = i++) {
    const [ax, ay] = xy(OUTLINE[j]!);
    const [bx, by] = xy(OUTLINE[i]!);
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
    nearest = Math.min(nearest, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return nearest;
}

/** In Kazakhstan, or within BORDER_MARGIN_KM of its border. */
export function isInKazakhstan(point: GeoPoint): boolean {
  return inside(point) || kmToOutline(point) <= BORDER_MARGIN_KM;
}

/** For the tests and the border check: how far outside the outline a point is (0 inside). */
export function kmOutsideKazakhstan(point: GeoPoint): number {
  return inside(point) ? 0 : kmToOutline(point);
}
