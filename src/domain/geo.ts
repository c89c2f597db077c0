// Distances for "centres near me", and the region a shared location is in. The database (FerretDB
// in tests) has no geo indexes, so the services narrow candidates with a plain bounding-box query
// and sort by distance here.

import { REGION_KEYS, REGIONS, type RegionKey } from './regions.js';
import { CITY_LIMITS, TOWNS, type CityKey, type Disc, type Town } from './towns.js';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** Mean Earth radius (IUGG), in km. */
export const EARTH_RADIUS_KM = 6371.0088;

const toRad = (deg: number): number => (deg * Math.PI) / 180;
const toDeg = (rad: number): number => (rad * 180) / Math.PI;

/** Great-circle (haversine) distance in km; within ~0.5% of the ellipsoidal distance. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = toRad(b.latitude - a.latitude);
  const dLon = toRad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.latitude)) * Math.cos(toRad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  // min() guards against h drifting just above 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A box that contains every point within radiusKm of center, for a first-pass query.
 * The longitude half-width uses asin(sin r / cos lat) rather than r / cos lat: a circle is
 * widest slightly poleward of its centre, and at Kazakhstan's 40-56°N the simple formula
 * would clip the edges of large radii. The box does not wrap the antimeridian, which is far
 * from Kazakhstan; near a pole it spans all longitudes.
 */
export function boundingBox(center: GeoPoint, radiusKm: number): BoundingBox {
  const r = Math.max(0, radiusKm) / EARTH_RADIUS_KM; // angular radius
  const lat = toRad(center.latitude);
  let minLat = lat - r;
  let maxLat = lat + r;
  let minLon: number;
  let maxLon: number;
  if (minLat > -Math.PI / 2 && maxLat < Math.PI / 2) {
    const dLon = Math.asin(Math.min(1, Math.sin(r) / Math.cos(lat)));
    minLon = toRad(center.longitude) - dLon;
    maxLon = toRad(center.longitude) + dLon;
  } else {
    minLat = Math.max(minLat, -Math.PI / 2);
    maxLat = Math.min(maxLat, Math.PI / 2);
    minLon = -Math.PI;
    maxLon = Math.PI;
  }
  return { minLat: toDeg(minLat), maxLat: toDeg(maxLat), minLon: toDeg(minLon), maxLon: toDeg(maxLon) };
}

/**
 * Regions sorted by the distance from the point to their reference coordinates (the centre city
 * in REGIONS), nearest first. For "the nearest region beyond the neighbours" of a region, where
 * the point is itself a region's centre; which region a location is in is nearestRegion's job.
 */
export function regionsByDistance(point: GeoPoint): { key: RegionKey; distanceKm: number }[] {
  return REGION_KEYS.map((key) => ({ key, distanceKm: distanceKm(point, REGIONS[key]) })).sort(
    (x, y) => x.distanceKm - y.distanceKm,
  );
}

const CITY_AREAS = Object.entries(CITY_LIMITS) as [CityKey, readonly Disc[]][];

/** The towns in radians with the cosine of their latitude, worked out once for nearestRegion. */
const TOWNS_IN_RADIANS = TOWNS.map((town) => ({
  region: town.region,
  lat: toRad(town.latitude),
  lon: toRad(town.longitude),
  cosLat: Math.cos(toRad(town.latitude)),
}));

/**
 * The region a location is in, guessed without boundary data: Astana, Almaty or Shymkent when it
 * lies within their limits (CITY_LIMITS), otherwise the region of the nearest town or district
 * centre (TOWNS, about 240 of them, a few of them points inside huge districts), which draws each
 * region as the area nearer its own towns than any other's. Right for places well inside a region
 * and for the towns around the three cities (Kaskelen is Almaty Region, Lenger Turkistan, Kosshy
 * Akmola); within some 10-30 km of a region's border (more in the empty steppe and desert, where
 * towns are 100 km apart) and at the very edge of a city it can still pick the neighbour, which is
 * why the bot says which region it took and lets the person change it. The nearest town is found
 * by the haversine term itself (it grows with the distance, so no square root or arcsine is
 * needed to compare), from coordinates converted once. About 3-4 µs a call (up to 9 on a loaded machine),
 * nothing next to a message's round trip (`npm run bench:geo`).
 */
export function nearestRegion(point: GeoPoint): RegionKey {
  for (const [city, discs] of CITY_AREAS) {
    if (discs.some((disc) => distanceKm(point, disc) <= disc.radiusKm)) return city;
  }
  const lat = toRad(point.latitude);
  const lon = toRad(point.longitude);
  const cosLat = Math.cos(lat);
  let region: RegionKey = (TOWNS[0] as Town).region;
  let best = Infinity;
  for (const town of TOWNS_IN_RADIANS) {
    const sinHalfLat = Math.sin((town.lat - lat) / 2);
    const sinHalfLon = Math.sin((town.lon - lon) / 2);
    const h = sinHalfLat * sinHalfLat + cosLat * town.cosLat * sinHalfLon * sinHalfLon;
    if (h < best) {
      best = h;
      region = town.region;
    }
  }
  return region;
}

/**
 * Cheap sanity check for a shared location: inside the rectangle around Kazakhstan
 * (lat 40.5-55.5, lon 46.4-87.4). It includes bits of neighbouring countries; it exists to
 * catch swapped coordinates and locations shared from abroad, not to define the border.
 */
export function isInKazakhstanBox(point: GeoPoint): boolean {
  const { latitude, longitude } = point;
  return latitude >= 40.5 && latitude <= 55.5 && longitude >= 46.4 && longitude <= 87.4;
}
