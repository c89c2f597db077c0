import type { ChoiceOption, SentenceRules, StepContext } from '../../src/engine/types.js';
import { centreCityName, type RegionKey } from '../../src/domain/regions.js';
import { formatTenge } from '../../src/domain/money.js';
import { cityOnlyLimit, FAMILY_GROUPS, higherLoanRegions, maxMci, programmes, type ProgrammeKind } from '../../src/features/grant/programmes.js';

/** Options shared by the grant scenes: family groups, regions, sectors. */

export const NONE_GROUP = 'none';

export const familyGroupOptions: ChoiceOption[] = [
  ...FAMILY_GROUPS.map((group) => ({ value: group, labelKey: `grant:group-option.${group}` })),
  { value: NONE_GROUP, labelKey: 'grant:group-option.none' },
];

export const SECTORS = ['agriculture', 'food', 'textiles', 'services', 'trade', 'crafts', 'transport', 'construction', 'it', 'other'] as const;
export const sectorOptions: ChoiceOption[] = SECTORS.map((sector) => ({ value: sector, labelKey: `grant:sector-option.${sector}` }));

// Label words that fit more than their own option name nothing alone in a typed sentence: every
// programme is for a business ("кредит на бизнес" is no grant), "new" ("a microloan for a new
// shop"); any trade is "производство", "дело"/"ісі" ("своё дело", "өз ісім"), "repair" ("ремонт
// телефонов" is a service), and "сельское"/"ауыл" (a village shop is trade). With the label's word
// beside them ("сельское хозяйство", "ауыл шаруашылығы") they still name their option.
export const TYPE_SENTENCES: SentenceRules = { vague: ['business', 'new', 'бизнес', 'новую', 'жаңа'] };
export const SECTOR_SENTENCES: SentenceRules = {
  vague: ['production', 'производство', 'өндірісі', 'дело', 'ісі', 'repair', 'ремонт', 'жөндеу', 'сельское', 'ауыл'],
};

export const programmeOptions: ChoiceOption[] = [
  { value: 'grant', labelKey: 'grant:programme.grant' },
  { value: 'microloan', labelKey: 'grant:programme.microloan' },
];

/** The groups actually chosen ("none of these" drops out when something else is ticked too). */
export function realGroups(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]).filter((g) => g !== NONE_GROUP) : [];
}

/**
 * "up to 1,730,000 tenge (400 MCI)" for a programme and region at this MCI. The higher microloan
 * limit is for the cities Aktau and Atyrau, not for the whole Mangystau and Atyrau regions: there
 * the text gives both limits, the city's and the rest of the region's.
 */
export function limitText(ctx: StepContext, kind: ProgrammeKind, region: RegionKey | undefined, mci: number): string {
  const count = maxMci(kind, region);
  const amount = formatTenge(count * mci, ctx.locale);
  if (!region || !cityOnlyLimit(kind, region)) return ctx.t('grant:limit', { amount, count });
  const otherMci = maxMci(kind, undefined);
  return ctx.t('grant:limit-centre', { city: centreCityName(region, ctx.locale), amount, count, other: formatTenge(otherMci * mci, ctx.locale), otherMci });
}


/** "Астана, Алматы және Ақтау": Intl.ListFormat has no Kazakh pattern, so the last "and" is a text. */
export function listWithAnd(ctx: StepContext, items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${ctx.t('common:list.and')}${items[items.length - 1]}`;
}

/** The higher microloan limit and where it applies, for explanations. */
export function loanLimits(ctx: StepContext, mci: number): Record<string, unknown> {
  const data = programmes();
  const loan = data.programmes.microloan;
  const higher = higherLoanRegions(data);
  const top = Math.max(...higher.map((r) => loan.maxMci.regions[r] ?? loan.maxMci.default));
  return {
    higher: formatTenge(top * mci, ctx.locale),
    higherMci: top,
    other: formatTenge(loan.maxMci.default * mci, ctx.locale),
    otherMci: loan.maxMci.default,
    // The data names cities (Aktau, Atyrau), mapped to their regions because the bot asks for a
    // region: the text names the cities, as the programme does.
    where: listWithAnd(ctx, higher.map((r) => centreCityName(r, ctx.locale))),
    rate: loan.maxRatePercent,
    // The term is the count: «до 5 лет», «до 1 года» (docs/style-guide.md, Plural forms).
    count: loan.maxTermYears,
  };
}
