import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { REGION_KEYS, REGIONS, type RegionKey } from '../../domain/regions.js';
import { kzDateParts } from '../../domain/kz-time.js';
import { findInRepo } from '../../paths.js';

/**
 * Amounts and rules of the family-business programmes. They change every year, so they live in
 * data/programmes.json and are validated here at load time: a typo there stops start-up with a
 * message instead of showing wrong amounts to applicants.
 */

export const FAMILY_GROUPS = ['large-family', 'targeted-assistance', 'child-disability', 'disability', 'kandas'] as const;
export type FamilyGroup = (typeof FAMILY_GROUPS)[number];
export const PROGRAMME_KINDS = ['grant', 'microloan'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

const positiveInt = z.number().int().positive();
const group = z.enum(FAMILY_GROUPS);
const region = z.enum(REGION_KEYS);

const programmesSchema = z.object({
  comment: z.string().optional(),
  mciByYear: z.record(z.string().regex(/^\d{4}$/), positiveInt).refine((m) => Object.keys(m).length > 0, 'at least one year'),
  largeFamilyMinChildren: positiveInt,
  groups: z.array(group).min(1),
  programmes: z.object({
    grant: z.object({
      note: z.string().optional(),
      maxMci: positiveInt,
      certificateMaxAgeYears: positiveInt,
      eligibleGroups: z.array(group).min(1),
    }),
    microloan: z.object({
      note: z.string().optional(),
      maxMci: z.object({ default: positiveInt, regions: z.partialRecord(region, positiveInt) }),
      maxRatePercent: z.number().positive().max(100),
      maxTermYears: positiveInt,
      certificateMaxAgeYears: positiveInt,
      eligibleGroups: z.array(group).min(1),
    }),
  }),
});

export type Programmes = z.output<typeof programmesSchema>;

export function parseProgrammes(raw: unknown): Programmes {
  const parsed = programmesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`data/programmes.json is invalid:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data;
}

export function loadProgrammes(path = findInRepo('data/programmes.json')): Programmes {
  return parseProgrammes(JSON.parse(readFileSync(path, 'utf8')));
}

let cached: Programmes | undefined;
/** The programmes from data/programmes.json, read once. */
export function programmes(): Programmes {
  cached ??= loadProgrammes();
  return cached;
}

/**
 * The MCI for the Kazakhstan calendar year of `date`. A year not in the file yet uses the latest
 * earlier year (amounts are published late in December), so the bot keeps working on 1 January.
 */
export function mciFor(date: Date, data: Programmes = programmes()): { year: number; mci: number } {
  const year = kzDateParts(date).year;
  const years = Object.keys(data.mciByYear)
    .map(Number)
    .sort((a, b) => a - b);
  const chosen = [...years].reverse().find((y) => y <= year) ?? years[0]!;
  return { year: chosen, mci: data.mciByYear[String(chosen)]! };
}

export function maxMci(kind: ProgrammeKind, regionKey: RegionKey | undefined, data: Programmes = programmes()): number {
  if (kind === 'grant') return data.programmes.grant.maxMci;
  const loan = data.programmes.microloan.maxMci;
  return (regionKey && loan.regions[regionKey]) ?? loan.default;
}

/**
 * Whether the region's higher limit holds only in its centre city (Aktau in Mangystau, Atyrau in
 * Atyrau), as data/programmes.json's note says. The bot asks for a region, not a town, so there
 * it accepts amounts up to the city's limit, states both limits to the applicant, and tells the
 * reviewer when an amount is above the limit for the rest of the region.
 */
export function cityOnlyLimit(kind: ProgrammeKind, region: RegionKey, data: Programmes = programmes()): boolean {
  return kind === 'microloan' && !REGIONS[region].isCity && maxMci(kind, region, data) !== maxMci(kind, undefined, data);
}

/** The largest amount in tenge for this programme and region at this MCI. */
export function maxAmount(kind: ProgrammeKind, regionKey: RegionKey | undefined, mci: number, data: Programmes = programmes()): number {
  return maxMci(kind, regionKey, data) * mci;
}

export function certificateMaxAgeYears(kind: ProgrammeKind, data: Programmes = programmes()): number {
  return data.programmes[kind].certificateMaxAgeYears;
}

/** The programmes open to a family in any of these groups. */
export function eligibleProgrammes(groups: readonly string[], data: Programmes = programmes()): ProgrammeKind[] {
  return PROGRAMME_KINDS.filter((kind) => data.programmes[kind].eligibleGroups.some((g) => groups.includes(g)));
}

/** Regions with the higher microloan limit (the three cities, Mangystau for Aktau, Atyrau). */
export function higherLoanRegions(data: Programmes = programmes()): RegionKey[] {
  return Object.keys(data.programmes.microloan.maxMci.regions) as RegionKey[];
}
