import type { ChoiceOption, StepContext } from '../../src/engine/types.js';
import { REGIONS, regionKeysByName, regionName } from '../../src/domain/regions.js';

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
