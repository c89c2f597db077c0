import { describe, it, expect } from 'vitest';
import { distanceKm, isInKazakhstanBox, nearestRegion } from '../../src/domain/geo.js';
import { isInKazakhstan } from '../../src/domain/kazakhstan-border.js';
import { REGION_KEYS, REGIONS, surroundingRegion } from '../../src/domain/regions.js';
import { CITY_LIMITS, TOWNS } from '../../src/domain/towns.js';

// The town list is hand-written data; these catch a swapped or mistyped coordinate and a town
// filed under the wrong region key.
describe('TOWNS', () => {
  it('lists a couple of hundred towns, at least five in each of the 17 regions', () => {
    expect(TOWNS.length).toBeGreaterThanOrEqual(170);
    expect(TOWNS.length).toBeLessThanOrEqual(260);
    for (const key of REGION_KEYS.filter((k) => !REGIONS[k].isCity)) {
      expect(TOWNS.filter((t) => t.region === key).length, key).toBeGreaterThanOrEqual(5);
    }
  });

  it('puts every town inside Kazakhstan', () => {
    for (const town of TOWNS) {
      expect(isInKazakhstanBox(town), town.name).toBe(true);
      expect(isInKazakhstan(town), town.name).toBe(true);
    }
  });

  it('classifies every town into its own region, none of them inside a city\'s limits', () => {
    for (const town of TOWNS) expect(nearestRegion(town), town.name).toBe(town.region);
  });

  it('names each point that is not a town after its district, so no one mistakes it for a village', () => {
    const points = TOWNS.filter((t) => t.name.includes('district'));
    expect(points.length).toBeGreaterThan(10);
    for (const point of points) expect(point.name, point.name).toMatch(/^[A-Z][a-z]+ district \([a-z ,-]+\)$/i);
  });

  it('has no two towns on the same spot', () => {
    for (const [i, a] of TOWNS.entries()) {
      for (const b of TOWNS.slice(i + 1)) expect(distanceKm(a, b), `${a.name} / ${b.name}`).toBeGreaterThan(5);
    }
  });

  it('agrees with the regions\' centre cities: each lies within 3 km of a town of its region', () => {
    for (const key of REGION_KEYS.filter((k) => !REGIONS[k].isCity)) {
      const nearest = Math.min(...TOWNS.filter((t) => t.region === key).map((t) => distanceKm(t, REGIONS[key])));
      expect(nearest, key).toBeLessThan(3);
    }
  });
});

describe('CITY_LIMITS', () => {
  it('holds each city\'s centre and stays clear of the surrounding region\'s towns', () => {
    for (const [city, discs] of Object.entries(CITY_LIMITS)) {
      expect(nearestRegion(REGIONS[city as keyof typeof CITY_LIMITS]), city).toBe(city);
      const around = TOWNS.filter((t) => t.region === surroundingRegion(city as keyof typeof CITY_LIMITS));
      for (const disc of discs) {
        for (const town of around) expect(distanceKm(town, disc), `${city} / ${town.name}`).toBeGreaterThan(disc.radiusKm + 3);
      }
    }
  });
});
