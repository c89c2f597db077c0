import { describe, it, expect } from 'vitest';
import { boundingBox, distanceKm, isInKazakhstanBox, nearestRegion, regionsByDistance } from '../../src/domain/geo.js';
import { REGIONS } from '../../src/domain/regions.js';

const astana = REGIONS.astana;
const almaty = REGIONS.almaty;
const shymkent = REGIONS.shymkent;

describe('distanceKm', () => {
  it('matches known straight-line distances between cities', () => {
    expect(Math.abs(distanceKm(astana, almaty) - 970)).toBeLessThanOrEqual(15);
    // ~690 km is the usual figure for Almaty–Shymkent, but that is by road; as the crow flies
    // it is ~608 km (7.36° of longitude at 42.8°N ≈ 600 km, plus 0.9° of latitude).
    expect(Math.abs(distanceKm(almaty, shymkent) - 608)).toBeLessThanOrEqual(15);
    expect(distanceKm(almaty, shymkent)).toBeLessThan(690 - 15);
  });

  it('is zero for the same point and symmetric', () => {
    expect(distanceKm(astana, astana)).toBe(0);
    expect(distanceKm(almaty, shymkent)).toBeCloseTo(distanceKm(shymkent, almaty), 9);
  });

  it('gives about 111.2 km per degree of latitude', () => {
    expect(distanceKm({ latitude: 45, longitude: 70 }, { latitude: 46, longitude: 70 })).toBeCloseTo(111.195, 2);
  });
});

describe('boundingBox', () => {
  it('contains every point of the circle, at Kazakhstan latitudes', () => {
    for (const center of [almaty, astana, REGIONS['north-kazakhstan'], { latitude: 40.6, longitude: 68 }]) {
      for (const radius of [1, 25, 300, 1500]) {
        const box = boundingBox(center, radius);
        // Walk the circle: every point exactly `radius` away must fall inside the box.
        for (let bearingDeg = 0; bearingDeg < 360; bearingDeg += 2) {
          const p = destination(center, radius, bearingDeg);
          expect(distanceKm(center, p)).toBeCloseTo(radius, 6);
          expect(p.latitude).toBeGreaterThanOrEqual(box.minLat - 1e-9);
          expect(p.latitude).toBeLessThanOrEqual(box.maxLat + 1e-9);
          expect(p.longitude).toBeGreaterThanOrEqual(box.minLon - 1e-9);
          expect(p.longitude).toBeLessThanOrEqual(box.maxLon + 1e-9);
        }
      }
    }
  });

  it('is tight: the circle touches all four sides', () => {
    const box = boundingBox(astana, 100);
    const touches = { n: false, s: false, e: false, w: false };
    for (let b = 0; b < 360; b += 0.25) {
      const p = destination(astana, 100, b);
      if (Math.abs(p.latitude - box.maxLat) < 1e-3) touches.n = true;
      if (Math.abs(p.latitude - box.minLat) < 1e-3) touches.s = true;
      if (Math.abs(p.longitude - box.maxLon) < 1e-3) touches.e = true;
      if (Math.abs(p.longitude - box.minLon) < 1e-3) touches.w = true;
    }
    expect(touches).toEqual({ n: true, s: true, e: true, w: true });
  });

  it('is wider in longitude than in latitude in the north', () => {
    const box = boundingBox(astana, 50);
    expect(box.maxLat - box.minLat).toBeCloseTo((2 * 50) / 111.195, 3);
    expect(box.maxLon - box.minLon).toBeGreaterThan(1.5 * (box.maxLat - box.minLat));
  });

  it('spans all longitudes when the circle reaches a pole', () => {
    const box = boundingBox({ latitude: 89.9, longitude: 10 }, 50);
    expect(box).toEqual({ minLat: expect.any(Number), maxLat: 90, minLon: -180, maxLon: 180 });
  });
});

describe('nearestRegion', () => {
  it('finds the region of places well inside one', () => {
    expect(nearestRegion({ latitude: 43.25, longitude: 76.9 })).toBe('almaty');
    expect(nearestRegion({ latitude: 49.95, longitude: 82.6 })).toBe('east-kazakhstan');
    expect(nearestRegion({ latitude: 51.18, longitude: 51.4 })).toBe('west-kazakhstan'); // Oral
    expect(nearestRegion({ latitude: 47.8, longitude: 67.7 })).toBe('ulytau');
    expect(nearestRegion({ latitude: 43.65, longitude: 51.2 })).toBe('mangystau');
  });

  // Places a guess by the nearest region centre got wrong: suburbs of the three cities, towns
  // nearer a neighbouring region's centre than their own. Town-centre coordinates.
  it.each([
    ['Kaskelen', 43.1973, 76.6231, 'almaty-region'],
    ['Talgar', 43.3039, 77.2415, 'almaty-region'],
    ['Otegen Batyr', 43.4195, 77.0202, 'almaty-region'],
    ['Esik', 43.3552, 77.4525, 'almaty-region'],
    ['Konaev', 43.8668, 77.063, 'almaty-region'],
    ['Saryagash', 41.4604, 69.1679, 'turkistan'],
    ['Stepnogorsk', 52.3484, 71.8845, 'akmola'],
    ['Balkhash', 46.8481, 74.995, 'karaganda'],
  ] as const)('puts %s in its region, not the nearest centre\'s', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });

  // Villages and towns near a border that are not in the town list themselves.
  it.each([
    ['Shamalgan (Karasai district)', 43.376, 76.625, 'almaty-region'],
    ['Turgen (Enbekshikazakh district)', 43.401, 77.593, 'almaty-region'],
    ['Saty (Kegen district)', 43.06, 78.41, 'almaty-region'],
    ['Karabulak (Sayram district), north of Shymkent', 42.51, 69.79, 'turkistan'],
    ['Zhabagly (Tulkibas district), by the Zhambyl border', 42.438, 70.478, 'turkistan'],
    ['Sastobe (Tulkibas district)', 42.553, 69.998, 'turkistan'],
    ['Asykata (Zhetysay district)', 40.895, 68.364, 'turkistan'],
    ['Shalkiya (Zhanakorgan district), by the Turkistan border', 44.009, 67.411, 'kyzylorda'],
    ['Saksaulsky (Aral district)', 47.09, 61.152, 'kyzylorda'],
    ['Akbakai (Moiynkum district)', 45.0, 72.783, 'zhambyl'],
    ['Khantau (Shu district)', 44.227, 73.796, 'zhambyl'],
    ['Saryshagan, on Lake Balkhash', 46.119, 73.619, 'karaganda'],
    ['Matai (Aksu district)', 45.895, 78.718, 'zhetysu'],
    ['Zavodskoy, by Stepnogorsk', 52.47, 72.015, 'akmola'],
    ['Bestobe', 52.498, 73.096, 'akmola'],
    ['Burabay', 53.084, 70.314, 'akmola'],
    ['Maikain (Bayanaul district)', 51.46, 75.802, 'pavlodar'],
    ['Kalkaman', 51.953, 76.027, 'pavlodar'],
    ['Zhalgyztobe (Zharma district)', 49.211, 81.216, 'abai'],
    ['Zhezkent (Borodulikha district)', 50.931, 81.362, 'abai'],
    ['Ust-Talovka (Shemonaikha district)', 50.549, 81.85, 'east-kazakhstan'],
    ['Belousovka (Glubokoe district)', 50.133, 82.525, 'east-kazakhstan'],
    ['Shubarshi (Temir district)', 48.58, 57.183, 'aktobe'],
    ['Dossor (Makat district)', 47.527, 52.981, 'atyrau'],
    ['Karaton (Zhylyoi district)', 46.435, 53.486, 'atyrau'],
    ['Zhetybai (Karakiyan district)', 43.594, 52.079, 'mangystau'],
  ] as const)('puts %s in its region', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });

  // Suburbs just past the city limits belong to the region around; the city itself stays the
  // city. Gazetteer coordinates (Kosshy 50°58'33"N 71°21'14"E; the northern one is a filling station
  // in Kosshy's Lesnaya Polyana, the part nearest Astana).
  it.each([
    ['Kosshy', 50.976, 71.354, 'akmola'],
    ['Kosshy, its northern edge (Lesnaya Polyana)', 50.997, 71.372, 'akmola'],
    ['Akmol, the Tselinograd district centre', 51.073, 70.979, 'akmola'],
    ['Sayram', 42.3, 69.77, 'turkistan'],
    ['Sayram, its western edge', 42.3, 69.735, 'turkistan'],
    ['Boraldai', 43.367, 76.85, 'almaty-region'],
    ['Astana airport', 51.022, 71.467, 'astana'],
    ['Koktal, Astana\'s north-west (inside the limits since 2000)', 51.19, 71.334, 'astana'],
    ['Shymkent airport', 42.364, 69.479, 'shymkent'],
    ['Shymkent\'s old north-east corner (its pre-2014 limits)', 42.4, 69.65, 'shymkent'],
  ] as const)('puts %s in its region, not the city next door', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });

  // Huge districts whose only centre sits in a corner: points 15-75 km inside the district
  // outlines (geoBoundaries ADM2). Nura district fell three times in four to Akmola, Ulytau or
  // Kostanay; the Ili delta to Priozersk across Lake Balkhash; Ulytau's south to Kyzylorda.
  it.each([
    ['Nura district, by Lake Tengiz', 50.3, 68.6, 'karaganda'],
    ['Nura district, west', 49.8, 68.0, 'karaganda'],
    ['Nura district, north-west', 49.9, 69.5, 'karaganda'],
    ['Nura district, middle', 49.4, 69.7, 'karaganda'],
    ['Nura district, south-east', 49.5, 70.6, 'karaganda'],
    ['Nura district, 50 km west of Nura', 50.05, 71.0, 'karaganda'],
    ['Shet district, west', 47.2, 71.9, 'karaganda'],
    ['Karkaraly district, north-east', 50.25, 77.2, 'karaganda'],
    ['Ulytau district, north-east', 48.4, 69.0, 'ulytau'],
    ['Ulytau district, south (the Aral Karakum edge)', 46.6, 65.8, 'ulytau'],
    ['Ulytau district, west', 47.0, 64.2, 'ulytau'],
    ['Zhanaarka district, north', 48.6, 70.3, 'ulytau'],
    ['Zhanaarka district, Betpak-Dala', 46.3, 70.6, 'ulytau'],
    ['Balkhash district, the Ili delta', 45.75, 74.8, 'almaty-region'],
    ['Balkhash district, south of the lake', 45.6, 75.5, 'almaty-region'],
    ['Kerbulak district, north of the Ili', 44.0, 78.7, 'zhetysu'],
  ] as const)('puts a point in %s in its region', (_name, latitude, longitude, region) => {
    expect(nearestRegion({ latitude, longitude })).toBe(region);
  });

  it('keeps the three cities to their limits', () => {
    expect(nearestRegion({ latitude: 43.352, longitude: 77.04 })).toBe('almaty'); // the airport
    expect(nearestRegion({ latitude: 43.157, longitude: 77.059 })).toBe('almaty'); // Medeu
    expect(nearestRegion({ latitude: 43.22, longitude: 76.77 })).toBe('almaty'); // Nauryzbay district
    expect(nearestRegion({ latitude: 51.09, longitude: 71.42 })).toBe('astana'); // Expo
    expect(nearestRegion({ latitude: 51.022, longitude: 71.467 })).toBe('astana'); // the airport
    expect(nearestRegion({ latitude: 42.3205, longitude: 69.5876 })).toBe('shymkent');
    expect(nearestRegion({ latitude: 42.1815, longitude: 69.8858 })).toBe('turkistan'); // Lenger
  });

  it('orders all regions by distance', () => {
    const list = regionsByDistance(astana);
    expect(list).toHaveLength(20);
    expect(list[0]).toEqual({ key: 'astana', distanceKm: 0 });
    for (let i = 1; i < list.length; i++) expect(list[i]!.distanceKm).toBeGreaterThanOrEqual(list[i - 1]!.distanceKm);
  });
});

describe('isInKazakhstanBox', () => {
  it('accepts points in Kazakhstan and on the edges', () => {
    expect(isInKazakhstanBox(astana)).toBe(true);
    expect(isInKazakhstanBox({ latitude: 40.5, longitude: 46.4 })).toBe(true);
    expect(isInKazakhstanBox({ latitude: 55.5, longitude: 87.4 })).toBe(true);
  });

  it('rejects points abroad and swapped coordinates', () => {
    expect(isInKazakhstanBox({ latitude: 55.75, longitude: 37.62 })).toBe(false); // Moscow
    expect(isInKazakhstanBox({ latitude: 71.45, longitude: 51.17 })).toBe(false); // Astana, swapped
    expect(isInKazakhstanBox({ latitude: 40.4, longitude: 70 })).toBe(false);
    expect(isInKazakhstanBox({ latitude: 45, longitude: 87.5 })).toBe(false);
    expect(isInKazakhstanBox({ latitude: Number.NaN, longitude: 70 })).toBe(false);
  });
});

// Point `distance` km from `start` along `bearingDeg` on the same sphere, to probe the box.
function destination(start: { latitude: number; longitude: number }, distance: number, bearingDeg: number) {
  const R = 6371.0088;
  const d = distance / R;
  const b = (bearingDeg * Math.PI) / 180;
  const lat1 = (start.latitude * Math.PI) / 180;
  const lon1 = (start.longitude * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 = lon1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { latitude: (lat2 * 180) / Math.PI, longitude: (lon2 * 180) / Math.PI };
}
