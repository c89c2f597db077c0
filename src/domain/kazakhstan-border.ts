// Kazakhstan's border, for telling a location shared from a neighbouring country (Tashkent,
// Bishkek, Tokmok, Omsk, Novosibirsk and Orenburg all lie inside the rectangle around Kazakhstan)
// from one at home.

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
 * across the border has Kazakhstan's centres as their nearest anyway, except where big towns
 * face Kazakh ones across the line: NEIGHBOURS_CLOSE_BY takes those out.
 */
export const BORDER_MARGIN_KM = 20;

/**
 * Where the coarse outline and its margin reach across the border into towns of the neighbours,
 * the true line, drawn finely: polygons of foreign land, [longitude, latitude], bounded on the
 * Kazakh side by the border moved about 0.5 km into the neighbour. A point in one is abroad even
 * inside the outline (the coarse line also cuts off a strip of Uzbekistan by Chinaz). The border
 * vertices come from the district outlines of Saryagash district (Turkistan Region) and Kordai
 * district (Zhambyl Region) in geoBoundaries ADM2, rounded to 0.001°; the far sides are drawn well
 * inside the neighbour. Beyond Kordai the Kyrgyz line comes from the outlines of Zhambyl, Karasai
 * and Raiymbek districts (Almaty Region).
 * - Tashkent and its region up to Chirchiq: the line runs 1-3 km south of Saryagash and
 *   Zhibek Zholy (41.45-41.46°N north of Tashkent), 6 km from Tashkent's northern edge, and
 *   east of Chinaz and Yangiyul. Past the Chirchiq it takes in Gazalkent (to 69.88°E, ~41.6°N);
 *   further east the border runs into the mountains, where the margin is harmless.
 * - Kyrgyzstan from north of Bishkek to the Karkara: the Chu is the border from 74.11°E to
 *   75.81°E, 42.84-43.31°N, with Kordai and the Kazakh villages on its north bank and Kant,
 *   Ivanovka, Tokmok (1.3 km from the river) and Kemin on the south; then the ridges above
 *   Issyk-Kul, 42.75-42.98°N, to 79.5°E, which keep Tyup and the north shore (20 km past the
 *   outline at Tyup) clearly abroad.
 */
const NEIGHBOURS_CLOSE_BY: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  // Uzbekistan: Tashkent, Chirchiq, Yangiyul, Chinaz. West to east along the border, then round.
  [
    [68.648, 40.93], [68.676, 40.948], [68.713, 40.962], [68.75, 40.982], [68.757, 41.014], [68.772, 41.04],
    [68.804, 41.072], [68.818, 41.091], [68.833, 41.107], [68.868, 41.144], [68.887, 41.159], [68.912, 41.181],
    [68.925, 41.188], [68.945, 41.186], [68.954, 41.213], [68.963, 41.223], [68.986, 41.237], [68.993, 41.25],
    [68.993, 41.277], [68.995, 41.289], [69.008, 41.304], [69.037, 41.337], [69.05, 41.338], [69.063, 41.329],
    [69.082, 41.33], [69.094, 41.34], [69.109, 41.362], [69.118, 41.382], [69.151, 41.395], [69.175, 41.41],
    [69.186, 41.434], [69.199, 41.447], [69.231, 41.457], [69.25, 41.455], [69.274, 41.458], [69.286, 41.455],
    [69.307, 41.446], [69.322, 41.448], [69.346, 41.451], [69.364, 41.452], [69.375, 41.456], [69.392, 41.455],
    [69.423, 41.45], [69.436, 41.454], [69.444, 41.471], [69.444, 41.477], [69.436, 41.484], [69.418, 41.492],
    [69.411, 41.502], [69.426, 41.518], [69.436, 41.526], [69.62, 41.55],
    // Past the Chirchiq: Gazalkent (41.56°N 69.77°E), which the margin took in, 19 km south of the
    // coarse line. Drawn from memory, not from district outlines: the line here is the foothills
    // north of the valley, taken as ~41.6°N to keep the pocket clear of Kazakh villages.
    [69.7, 41.585], [69.8, 41.6], [69.88, 41.605], [69.88, 40.9], [68.648, 40.9],
  ],
  // Kyrgyzstan: from north of Bishkek along the Chu past Tokmok and Kemin, then along the ridges
  // above Issyk-Kul to the Karkara valley. West to east along the border, then round.
  [
    [74.106, 43.304], [74.157, 43.258], [74.19, 43.228], [74.294, 43.232], [74.298, 43.215], [74.321, 43.207],
    [74.342, 43.2], [74.368, 43.195], [74.391, 43.193], [74.406, 43.175], [74.421, 43.158], [74.443, 43.154],
    [74.492, 43.148], [74.538, 43.136], [74.567, 43.126], [74.586, 43.111], [74.598, 43.093], [74.621, 43.073],
    [74.648, 43.055], [74.702, 43.018], [74.725, 43.003], [74.733, 42.994], [74.749, 42.988], [74.776, 42.987],
    [74.79, 42.991], [74.818, 42.99], [74.83, 42.999], [74.844, 42.999], [74.871, 42.988], [74.895, 42.979],
    [74.92, 42.965], [74.925, 42.951], [74.945, 42.946], [74.96, 42.942], [74.989, 42.939], [75.005, 42.935],
    [75.011, 42.927], [75.034, 42.914], [75.049, 42.907], [75.079, 42.898], [75.084, 42.888], [75.129, 42.874],
    [75.157, 42.845], [75.193, 42.843], [75.202, 42.836], [75.232, 42.833], [75.253, 42.838], [75.275, 42.846],
    [75.322, 42.851], [75.342, 42.846], [75.354, 42.839], [75.373, 42.832], [75.416, 42.819], [75.451, 42.815],
    [75.491, 42.82], [75.549, 42.816], [75.581, 42.815], [75.614, 42.816], [75.66, 42.808], [75.681, 42.802],
    [75.699, 42.794], [75.716, 42.792], [75.734, 42.8], [75.759, 42.816], [75.771, 42.832], [75.783, 42.858],
    [75.787, 42.88], [75.796, 42.905], [75.805, 42.92],
    [75.818, 42.923], [75.832, 42.933], [75.852, 42.935], [75.871, 42.943], [75.896, 42.938], [75.918, 42.949],
    [75.933, 42.948], [75.943, 42.939], [75.96, 42.929], [75.984, 42.924], [75.999, 42.926], [76.007, 42.925],
    [76.023, 42.909], [76.035, 42.905], [76.053, 42.905], [76.083, 42.908], [76.113, 42.916], [76.134, 42.918],
    [76.183, 42.914], [76.213, 42.915], [76.24, 42.913], [76.268, 42.914], [76.279, 42.911], [76.3, 42.901],
    [76.305, 42.893], [76.31, 42.874], [76.315, 42.866], [76.323, 42.861], [76.341, 42.859], [76.357, 42.861],
    [76.378, 42.864], [76.404, 42.871], [76.419, 42.87], [76.43, 42.873], [76.447, 42.88], [76.466, 42.881],
    [76.48, 42.881], [76.486, 42.884], [76.496, 42.893], [76.502, 42.897], [76.508, 42.909], [76.514, 42.914],
    [76.531, 42.913], [76.566, 42.905], [76.579, 42.904], [76.599, 42.907], [76.607, 42.908], [76.625, 42.906],
    [76.656, 42.902], [76.675, 42.903], [76.686, 42.9], [76.705, 42.899], [76.723, 42.9], [76.729, 42.902],
    [76.739, 42.91], [76.748, 42.925], [76.752, 42.937], [76.756, 42.941], [76.762, 42.944], [76.777, 42.946],
    [76.797, 42.946], [76.806, 42.94], [76.813, 42.943], [76.827, 42.952], [76.84, 42.962], [76.845, 42.977],
    [76.854, 42.979], [76.86, 42.98], [76.899, 42.977], [76.929, 42.978], [76.948, 42.976], [76.96, 42.974],
    [76.973, 42.97], [76.99, 42.966], [77.007, 42.965], [77.022, 42.961], [77.043, 42.956], [77.063, 42.957],
    [77.087, 42.961], [77.093, 42.961], [77.163, 42.956], [77.176, 42.955], [77.188, 42.951], [77.194, 42.947],
    [77.201, 42.937], [77.21, 42.929], [77.223, 42.917], [77.231, 42.914], [77.233, 42.911], [77.249, 42.909],
    [77.26, 42.909], [77.276, 42.908], [77.323, 42.91], [77.344, 42.91], [77.362, 42.913], [77.383, 42.92],
    [77.401, 42.922], [77.422, 42.928], [77.439, 42.93], [77.459, 42.928], [77.481, 42.923], [77.509, 42.923],
    [77.53, 42.927], [77.56, 42.922], [77.582, 42.912], [77.642, 42.911], [77.681, 42.906], [77.703, 42.902],
    [77.727, 42.9], [77.753, 42.902], [77.769, 42.906], [77.785, 42.906], [77.793, 42.903], [77.801, 42.892],
    [77.815, 42.88], [77.833, 42.875], [77.868, 42.876], [77.905, 42.863], [77.929, 42.869], [77.945, 42.867],
    [77.963, 42.847], [77.977, 42.847], [77.997, 42.856], [78.006, 42.862], [78.022, 42.862], [78.039, 42.854],
    [78.059, 42.833], [78.079, 42.85], [78.102, 42.851], [78.116, 42.857], [78.134, 42.853], [78.157, 42.853],
    [78.187, 42.86], [78.189, 42.875], [78.205, 42.869], [78.228, 42.87], [78.25, 42.867], [78.265, 42.862],
    [78.318, 42.851], [78.339, 42.851], [78.354, 42.854], [78.373, 42.861], [78.38, 42.88], [78.395, 42.873],
    [78.416, 42.874], [78.443, 42.879], [78.469, 42.889], [78.5, 42.895], [78.514, 42.89], [78.525, 42.892],
    [78.536, 42.88], [78.541, 42.87], [78.553, 42.862], [78.579, 42.86], [78.612, 42.85], [78.634, 42.845],
    [78.651, 42.846], [78.663, 42.839], [78.674, 42.823], [78.684, 42.816], [78.692, 42.816], [78.715, 42.826],
    [78.729, 42.822], [78.754, 42.816], [78.766, 42.819], [78.784, 42.81], [78.796, 42.8], [78.822, 42.802],
    [78.848, 42.792], [78.873, 42.791], [78.901, 42.784], [78.915, 42.773], [78.937, 42.77], [78.954, 42.771],
    [78.97, 42.774], [78.985, 42.769], [79.006, 42.773], [79.024, 42.772], [79.042, 42.764], [79.058, 42.746],
    [79.073, 42.735], [79.083, 42.74], [79.094, 42.761], [79.099, 42.765], [79.153, 42.778], [79.177, 42.779],
    [79.183, 42.775], [79.171, 42.763], [79.167, 42.75], [79.166, 42.744], [79.177, 42.703], [79.187, 42.683],
    [79.203, 42.671], [79.218, 42.649], [79.24, 42.636], [79.266, 42.621], [79.291, 42.62], [79.337, 42.597],
    [79.37, 42.575], [79.379, 42.553], [79.394, 42.536], [79.408, 42.531], [79.456, 42.498], [79.484, 42.483],
    [79.504, 42.456],
    [79.504, 42.2], [74.106, 42.2],
  ],
];

const KM_PER_DEGREE = 111.195;

function insidePolygon(polygon: ReadonlyArray<readonly [number, number]>, point: GeoPoint): boolean {
  let result = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > point.latitude !== yj > point.latitude && point.longitude < ((xj - xi) * (point.latitude - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

const inside = (point: GeoPoint): boolean => insidePolygon(OUTLINE, point);

/** Each polygon's box, so that a point far from them all costs four comparisons each. */
const NEIGHBOUR_BOXES = NEIGHBOURS_CLOSE_BY.map((polygon) => ({
  polygon,
  minLon: Math.min(...polygon.map(([lon]) => lon)),
  maxLon: Math.max(...polygon.map(([lon]) => lon)),
  minLat: Math.min(...polygon.map(([, lat]) => lat)),
  maxLat: Math.max(...polygon.map(([, lat]) => lat)),
}));

const nextDoor = (point: GeoPoint): boolean =>
  NEIGHBOUR_BOXES.some(
    (box) =>
      point.longitude >= box.minLon &&
      point.longitude <= box.maxLon &&
      point.latitude >= box.minLat &&
      point.latitude <= box.maxLat &&
      insidePolygon(box.polygon, point),
  );

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

/** In Kazakhstan, or within BORDER_MARGIN_KM of its border, and not in NEIGHBOURS_CLOSE_BY. */
export function isInKazakhstan(point: GeoPoint): boolean {
  if (nextDoor(point)) return false;
  return inside(point) || kmToOutline(point) <= BORDER_MARGIN_KM;
}

/** For the tests: how far outside the outline a point is (0 inside); NEIGHBOURS_CLOSE_BY aside. */
export function kmOutsideKazakhstan(point: GeoPoint): number {
  return inside(point) ? 0 : kmToOutline(point);
}
