import { describe, it, expect } from 'vitest';
import { nearestRegion } from '../../src/domain/geo.js';
import { isInKazakhstan } from '../../src/domain/kazakhstan-border.js';

// Border areas checked after the town list was first written. Points named after a district are
// not villages: they are spots inside the district, picked against the district outlines of
// geoBoundaries ADM2 where they were available (Koksu), otherwise from general knowledge of the
// map, kept well away (30 km and more) from borders that could not be checked.

/**
 * Koksu district (Zhetysu Region), its outline in geoBoundaries ADM2 (CC BY 4.0), rounded to
 * 0.001°. Its west, the Taukum sands 100 km from Balpyk Bi, fell to Bakanas and Konaev.
 */
const KOKSU: ReadonlyArray<readonly [number, number]> = [
  [76.993, 44.684], [77.038, 44.675], [77.08, 44.633], [77.151, 44.679], [77.358, 44.453], [77.451, 44.425],
  [77.655, 44.433], [77.688, 44.446], [77.728, 44.441], [77.774, 44.456], [77.851, 44.413], [77.938, 44.473],
  [77.993, 44.479], [78.009, 44.494], [78.039, 44.494], [78.122, 44.518], [78.199, 44.516], [78.23, 44.542],
  [78.251, 44.51], [78.314, 44.544], [78.39, 44.564], [78.568, 44.541], [78.6, 44.592], [78.58, 44.607],
  [78.589, 44.64], [78.551, 44.674], [78.543, 44.729], [78.494, 44.79], [78.392, 44.807], [78.198, 44.991],
  [78.151, 44.951], [78.054, 44.967], [77.964, 45.029], [77.889, 45.038], [77.825, 45.067], [77.762, 45.054],
  [77.442, 45.105], [77.324, 45.085], [77.162, 45.1], [77.054, 45.029], [76.958, 45.048], [76.859, 45.034],
  [76.915, 44.973], [76.965, 44.892],
];

function insideOutline(outline: ReadonlyArray<readonly [number, number]>, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = outline.length - 1; i < outline.length; j = i++) {
    const [xi, yi] = outline[i]!;
    const [xj, yj] = outline[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

describe('nearestRegion in Koksu district (Zhetysu) and around it', () => {
  it('puts at least 98% of a 0.05° grid over the district in Zhetysu (89% before its west had a point)', () => {
    let points = 0;
    let wrong = 0;
    for (let lat = 44.41; lat <= 45.11; lat += 0.05) {
      for (let lon = 76.86; lon <= 78.6; lon += 0.05) {
        if (!insideOutline(KOKSU, lon, lat)) continue;
        points++;
        if (nearestRegion({ latitude: lat, longitude: lon }) !== 'zhetysu') wrong++;
      }
    }
    expect(points).toBeGreaterThan(250);
    expect(wrong / points).toBeLessThanOrEqual(0.02);
  });

  it.each([
    ['Balpyk Bi, the district centre', 44.9, 78.23, 'zhetysu'],
    ['Koksu district, the Taukum sands', 44.8, 77.1, 'zhetysu'],
    ['Koksu district, its north-west corner', 45.0, 77.0, 'zhetysu'],
    ['Koksu district, by Kerbulak district', 44.55, 77.5, 'zhetysu'],
    // Across the district's west and south-west edge: Balkhash and Ili districts, Almaty Region.
    ['Balkhash district, 10 km west of Koksu district', 44.85, 76.8, 'almaty-region'],
    ['Balkhash district, by Koksu district\'s south-west corner', 44.6, 76.9, 'almaty-region'],
    ['Ili district, west of Kerbulak district', 44.4, 77.1, 'almaty-region'],
  ] as const)('puts %s in its region', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });
});

describe('nearestRegion around the Aral Sea (Kyzylorda against Aktobe)', () => {
  it.each([
    ['Aralsk', 46.8, 61.67, 'kyzylorda'],
    ['Saksaulsky (Aral district)', 47.09, 61.15, 'kyzylorda'],
    ['Kazaly', 45.76, 62.1, 'kyzylorda'],
    ['Kamystybas (Aral district), approx.', 46.23, 61.97, 'kyzylorda'],
    ['the Small Aral\'s north shore, west of Aralsk', 46.6, 60.9, 'kyzylorda'],
    ['Shalkar', 47.83, 59.6, 'aktobe'],
    ['Irgiz', 48.62, 61.27, 'aktobe'],
    ['Shalkar district, between Shalkar and Irgiz', 48.1, 60.6, 'aktobe'],
  ] as const)('puts %s in its region', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });
});

describe('nearestRegion on the Ustyurt (Mangystau against Atyrau)', () => {
  it.each([
    ['Beyneu', 45.32, 55.2, 'mangystau'],
    ['Sai-Utes', 44.33, 53.53, 'mangystau'],
    ['the Ustyurt, Beyneu district by the Uzbek border', 44.3, 55.7, 'mangystau'],
    ['the Ustyurt, south of Sai-Utes', 43.4, 54.4, 'mangystau'],
    ['Kulsary', 46.95, 54.02, 'atyrau'],
    ['Zhylyoi district, south of Kulsary', 46.5, 54.2, 'atyrau'],
  ] as const)('puts %s in its region', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });
});

describe('nearestRegion between Abai and East Kazakhstan (the 2022 split)', () => {
  it.each([
    ['Semey', 50.41, 80.23, 'abai'],
    ['Ayagoz', 47.96, 80.43, 'abai'],
    ['Urzhar', 47.09, 81.63, 'abai'],
    ['Kokpekti', 48.75, 82.37, 'abai'],
    ['Borodulikha', 50.72, 80.93, 'abai'],
    ['Kalbatau (Zharma district)', 49.33, 81.57, 'abai'],
    ['Karaul (Abai district)', 48.95, 79.26, 'abai'],
    ['Ayagoz district, east of Ayagoz', 48.0, 81.3, 'abai'],
    ['Oskemen', 49.97, 82.61, 'east-kazakhstan'],
    ['Ridder', 50.34, 83.51, 'east-kazakhstan'],
    ['Serebryansk (Ulan district)', 49.69, 83.31, 'east-kazakhstan'],
    ['Shemonaikha', 50.63, 81.91, 'east-kazakhstan'],
    ['Zaisan', 47.47, 84.87, 'east-kazakhstan'],
    ['Kurchum district, Lake Zaisan\'s north shore', 48.25, 84.2, 'east-kazakhstan'],
    ['Katon-Karagai district', 49.1, 85.9, 'east-kazakhstan'],
  ] as const)('puts %s in its region', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });
});

describe('isInKazakhstan by Tashkent and Karakalpakstan', () => {
  it.each([
    ['Gazalkent, north-east of Tashkent', 41.56, 69.77],
    ['Gazalkent, its northern edge', 41.58, 69.78],
    ['Jaslyk (Karakalpakstan), on the Ustyurt', 43.95, 57.47],
  ] as const)('%s is abroad', (_name, latitude, longitude) => {
    expect(isInKazakhstan({ latitude, longitude })).toBe(false);
  });

  it.each([
    ['Kazygurt', 41.76, 69.38],
    ['Beyneu', 45.32, 55.2],
    ['Sai-Utes', 44.33, 53.53],
  ] as const)('%s is in Kazakhstan', (_name, latitude, longitude) => {
    expect(isInKazakhstan({ latitude, longitude })).toBe(true);
  });
});
