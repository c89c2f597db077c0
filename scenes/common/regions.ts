import type { ChoiceOption, StepContext } from '../../src/engine/types.js';
import { matchRegion, REGIONS, regionKeysByName, regionName } from '../../src/domain/regions.js';
import { nearestRegion, type GeoPoint } from '../../src/domain/geo.js';
import { isInKazakhstan } from '../../src/domain/kazakhstan-border.js';

/**
 * The 20 regions by name in the user's language and alphabetical order. Any of the three names,
 * the regional centre or an old name also picks one; "Алматы" typed alone means the city more
 * often than the region around it, so a city's bare name is an alias too.
 */
export function regionChoiceOptions(ctx: StepContext): ChoiceOption[] {
  return regionKeysByName(ctx.locale).map((key) => {
    const region = REGIONS[key];
    const aliases = [...Object.values(region.names), ...(region.centre ? Object.values(region.centre) : []), ...region.aliases];
    if (region.isCity) aliases.push(...Object.values(region.names).map((n) => n.replace(/\s*(\(city\)|қаласы)$|^город\s+/i, '')));
    return { value: key, label: regionName(key, ctx.locale), aliases };
  });
}

/**
 * A region written as people write it in a sentence, for a region question's `typed`: a case
 * ending ("в Карагандинской области", "Қарағанды облысында"), "г. Алматы", an old name with a
 * region word ("Шымкентская область"), Latin spellings ("Qaragandy oblysy"). docs/domain.md.
 */
export const typedRegion = (text: string): string | null => matchRegion(text);

/**
 * A location (or venue) shared at a region question, for its `located`: people on old phones, and
 * those the rehab search taught to share where they are, answer "which region?" that way. The
 * region is that of the nearest town or district centre, or Astana, Almaty or Shymkent within
 * their limits (nearestRegion): still a guess near a border, which is why the engine says which
 * region it took. A place abroad (past the border's margin) is no region of Kazakhstan.
 */
export const regionFromLocation = (point: GeoPoint): { value: string } | { errorKey: string } =>
  isInKazakhstan(point) ? { value: nearestRegion(point) } : { errorKey: 'errors:region-abroad' };
