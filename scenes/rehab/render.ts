import { z } from 'zod';
import type { SceneContext } from '../../src/engine/context.js';
import { REGION_KEYS, REGIONS, regionName } from '../../src/domain/regions.js';
import { AGE_GROUPS } from '../../src/features/rehab/centre-kinds.js';
import { HELP_KINDS, type CentreSearch } from '../../src/features/rehab/centres-search.js';
import { formatContactPhone, pick, type CentreView } from '../../src/features/rehab/centres-record.js';
import type { CentreList, ListedPage, SearchPage } from '../../src/features/rehab/centres.service.js';
import type { Locale, Reply } from '../../src/telegram/types.js';

/** Results per screen: five fit on an old phone without scrolling. */
export const PAGE_SIZE = 5;

/**
 * Centre ids a search keeps for its pages: ten pages' worth, then ten more when the pages reach
 * the end. About 27 bytes each in the session, so a long search stays a small part of it.
 */
export const LIST_STEP = 10 * PAGE_SIZE;

/**
 * The last search, kept in the session between screens (`data.rehab`): its criteria. Beside it
 * (`data.rehabList`) the order of the centres it found, ids only, so the pages stay as first
 * shown whatever an import does; both are set together (newSearch).
 */
const storedSearch = z.object({
  who: z.enum(AGE_GROUPS),
  help: z.enum(HELP_KINDS),
  where: z.discriminatedUnion('type', [
    z.object({ type: z.literal('region'), region: z.enum(REGION_KEYS) }),
    z.object({ type: z.literal('point'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  ]),
});

export const REHAB_SEARCH_SCENE = 'rehab-search';
export const REHAB_RESULTS_SCENE = 'rehab-results';

const storedList = z.object({
  ids: z.array(z.string().regex(/^[0-9a-f]{24}$/)).max(10_000),
  more: z.boolean(),
  version: z.number().int().min(0),
});

export function readSearch(ctx: SceneContext): CentreSearch | null {
  const parsed = storedSearch.safeParse(ctx.session.data?.rehab);
  return parsed.success ? parsed.data : null;
}

/** The order of the centres the search found; null for a search stored by a release before lists. */
export function readList(ctx: SceneContext): CentreList | null {
  const parsed = storedList.safeParse(ctx.session.data?.rehabList);
  return parsed.success ? parsed.data : null;
}

/** What a new search stores: its criteria and the order of what it found now. */
export async function newSearch(ctx: SceneContext, search: CentreSearch): Promise<Record<string, unknown>> {
  return { rehab: search, rehabList: await ctx.deps.services.centres.rankedList(search, LIST_STEP) };
}

// One update renders a page twice (prompt and options); one query serves both.
const pageCache = new WeakMap<SceneContext, Map<string, Promise<SearchPage & Partial<ListedPage>>>>();

/**
 * A page of the search: from its list (in the order first shown, without centres removed since),
 * or, for a search stored before lists were kept, from the directory as it is now.
 */
export function searchPage(ctx: SceneContext, search: CentreSearch, list: CentreList | null, page: number): Promise<SearchPage & Partial<ListedPage>> {
  let cache = pageCache.get(ctx);
  if (!cache) pageCache.set(ctx, (cache = new Map()));
  const key = JSON.stringify([search, list, page]);
  let found = cache.get(key);
  if (!found) {
    const centres = ctx.deps.services.centres;
    cache.set(key, (found = list ? centres.listPage(search, list, page, PAGE_SIZE) : centres.search(search, page, PAGE_SIZE)));
  }
  return found;
}

/** Closer than this reads as this: "0 km" would look like a mistake, or like "you are there". */
const NEAREST_SHOWN_KM = 0.1;

export function formatKm(km: number, locale: Locale, t: SceneContext['t']): string {
  const shown = Math.max(km, NEAREST_SHOWN_KM);
  const value = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: shown < 10 ? 1 : 0 }).format(shown);
  return t('rehab:results.km', { value });
}

export function placeName(search: CentreSearch, locale: Locale): string {
  return search.where.type === 'region' ? regionName(search.where.region, locale) : '';
}

export function searchWords(search: CentreSearch, ctx: SceneContext): Record<string, string> {
  return {
    help: ctx.t(`rehab:help.${search.help}`),
    for: ctx.t(`rehab:for.${search.who}`),
    place: placeName(search, ctx.locale),
  };
}

/** Button labels stay short: long names are cut, the full name is in the list above. */
export function shortLabel(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Everything a citizen needs to decide and to get there, in their language. */
export function cardText(centre: CentreView, ctx: SceneContext, distanceKm?: number): string {
  const { t, locale } = ctx;
  const list = (prefix: string, values: readonly string[]) => values.map((v) => t(`rehab:${prefix}.${v}`)).join(', ');
  // A sample says so before anything else, so nobody reads it as a real centre.
  const lines = centre.sample ? [`⚠️ ${t('rehab:card.sample')}`, ''] : [];
  lines.push(pick(centre.name, locale), '', t('rehab:card.kind', { value: t(`rehab:kind.${centre.kind}`) }));
  lines.push(t('rehab:card.serves', { value: list('age', centre.ageGroups) }));
  if (centre.settings.length) lines.push(t('rehab:card.settings', { value: list('setting', centre.settings) }));
  const address = pick(centre.address, locale);
  lines.push(t('rehab:card.address', { value: REGIONS[centre.region].isCity ? address : `${address} (${regionName(centre.region, locale)})` }));
  if (distanceKm !== undefined) lines.push(t('rehab:card.distance', { value: formatKm(distanceKm, locale, t) }));
  // Each number on its own line in "+7 7172 123456" form, which Telegram makes tappable. A
  // sample's numbers are made up and may belong to someone, so they are never offered to call.
  if (centre.phones.length && !centre.sample) lines.push(t('rehab:card.phones', { value: centre.phones.map(formatContactPhone).join('\n') }));
  if (centre.hours) lines.push(t('rehab:card.hours', { value: pick(centre.hours, locale) }));
  if (centre.services.length) lines.push(t('rehab:card.services', { value: list('service', centre.services) }));
  // Saying nothing would read as "not accessible"; the registry may simply not have the data.
  lines.push(
    centre.accessibility.length
      ? t('rehab:card.accessibility', { value: list('access', centre.accessibility) })
      : t('rehab:card.accessibility-unknown'),
  );
  lines.push(t('rehab:card.fee', { value: t(`rehab:fee.${centre.fee}`) }));
  if (centre.website) lines.push(t('rehab:card.website', { value: centre.website }));
  return lines.join('\n');
}

export function venueOf(centre: CentreView, locale: Locale): Reply {
  return {
    kind: 'venue',
    latitude: centre.latitude,
    longitude: centre.longitude,
    title: pick(centre.name, locale),
    address: pick(centre.address, locale),
  };
}
