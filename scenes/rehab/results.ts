import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SceneContext } from '../../src/engine/context.js';
import type { ChoiceOption, SceneResult } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { distanceKm, nearestRegion, regionsByDistance } from '../../src/domain/geo.js';
import { isRegionKey, NEIGHBOURS, REGIONS, regionName, regionShortName, type RegionKey } from '../../src/domain/regions.js';
import { pick } from '../../src/features/rehab/centres-record.js';
import type { CentreSearch } from '../../src/features/rehab/centres-search.js';
import { fitLabel, LABEL_MAX } from '../../src/engine/options.js';
import {
  cardText,
  formatKm,
  LIST_STEP,
  newSearch,
  PAGE_SIZE,
  readList,
  readSearch,
  REHAB_RESULTS_SCENE,
  REHAB_SEARCH_SCENE,
  searchPage,
  searchWords,
  venueOf,
} from './render.js';

const CENTRE = 'c:';
const NEAR = 'near:';

interface Screen {
  body: string;
  options: ChoiceOption[];
}

const answers = z.object({
  /** Which page of results this entry shows (each page is a fresh entry of the scene). */
  page: z.number().int().min(0),
  /** A new tag per screen: buttons of an earlier page must not pick from this one. */
  screen: z.string(),
  pick: z.string(),
  card: z.enum(['back', 'new', 'menu']).optional(),
});
type Answers = Partial<z.output<typeof answers>>;

const pageOf = (answers: Answers): number => answers.page ?? 0;

/** The region a search is about: the chosen one, or the one around the shared location. */
function homeRegion(search: CentreSearch): RegionKey {
  return search.where.type === 'region' ? search.where.region : nearestRegion(search.where);
}

/**
 * The region nearest to this one (by their centre cities) that has a match, beyond its
 * neighbours: East Kazakhstan borders only Abai Region, Astana only Akmola.
 */
function nearestBeyond(region: RegionKey, counts: Map<RegionKey, number>): RegionKey | undefined {
  const skip = new Set<RegionKey>([region, ...NEIGHBOURS[region]]);
  return regionsByDistance(REGIONS[region]).find(({ key }) => !skip.has(key) && (counts.get(key) ?? 0) > 0)?.key;
}

/**
 * Nothing found: say so, and offer neighbouring regions and services at home that do have
 * something; when no neighbour has any, the nearest region that has.
 */
async function emptyScreen(search: CentreSearch, ctx: SceneContext): Promise<Screen> {
  const words = searchWords(search, ctx);
  const lines = [ctx.t(search.where.type === 'region' ? 'rehab:results.none-region' : 'rehab:results.none-near', words)];
  const options: ChoiceOption[] = [];
  const centres = ctx.deps.services.centres;
  const offer = (region: RegionKey, count: number) => options.push({ value: `${NEAR}${region}`, label: ctx.t('rehab:results.neighbour', { region: regionShortName(region, ctx.locale), count }) });
  let beyond = false;
  if (search.where.type === 'region') {
    const counts = await centres.countByRegion(search);
    for (const region of NEIGHBOURS[search.where.region]) {
      const count = counts.get(region) ?? 0;
      if (count > 0) offer(region, count);
    }
    const farther = options.length === 0 ? nearestBeyond(search.where.region, counts) : undefined;
    if (farther) {
      offer(farther, counts.get(farther) ?? 0);
      beyond = true;
    }
  }
  const region = homeRegion(search);
  if (search.help !== 'home-based') {
    const count = await centres.countInRegion({ who: search.who, help: 'home-based' }, region);
    if (count > 0) options.push({ value: '__home', label: ctx.t('rehab:results.home', { count }) });
  }
  // A shared location is searched nearest first over the whole country: nothing found there is
  // nothing anywhere, so neither a neighbouring region nor another one is worth suggesting.
  const offerKey =
    search.where.type === 'point'
      ? options.length > 0 ? 'rehab:results.offer-home-near' : 'rehab:results.offer-nothing-near'
      : beyond ? 'rehab:results.offer-farther' : options.length > 0 ? 'rehab:results.offer' : 'rehab:results.offer-nothing';
  lines.push('', ctx.t(offerKey, { region: regionName(region, ctx.locale) }));
  options.push({ value: '__new', labelKey: 'rehab:results.new' });
  return { body: lines.join('\n'), options };
}

async function buildScreen(answers: Answers, ctx: SceneContext): Promise<Screen> {
  const search = readSearch(ctx);
  if (!search) return { body: ctx.t('rehab:results.expired'), options: [{ value: '__new', labelKey: 'rehab:results.new' }] };
  const page = pageOf(answers);
  const list = readList(ctx);
  const found = await searchPage(ctx, search, list, page);
  if (found.items.length === 0) {
    if (page === 0) return emptyScreen(search, ctx);
    // Every centre of this page left the directory between two pages.
    return { body: ctx.t('rehab:results.changed'), options: [{ value: '__first', labelKey: 'rehab:results.first' }, { value: '__new', labelKey: 'rehab:results.new' }] };
  }
  const words = searchWords(search, ctx);
  const header =
    search.where.type === 'region' ? ctx.t('rehab:results.header-region', { ...words, count: found.total ?? 0 }) : ctx.t('rehab:results.header-near', words);
  // Counted among the list's centres still in the directory, so the pages add up without a gap.
  const from = found.from ?? page * PAGE_SIZE + 1;
  const lines = [header, ctx.t('rehab:results.showing', { from, to: from + found.items.length - 1 }), ''];
  const options: ChoiceOption[] = [];
  found.items.forEach((item, index) => {
    const name = pick(item.centre.name, ctx.locale);
    const distance = item.distanceKm === undefined ? undefined : formatKm(item.distanceKm, ctx.locale, ctx.t);
    const params = { number: index + 1, name, address: pick(item.centre.address, ctx.locale), distance };
    lines.push(ctx.t(distance ? 'rehab:results.line-distance' : 'rehab:results.line', params));
    // The full name and address are in the text above; the button carries as much as one line holds.
    options.push({ value: `${CENTRE}${item.centre.id}`, label: distance ? `${fitLabel(name, LABEL_MAX - distance.length - 3)} (${distance})` : fitLabel(name) });
  });
  if (!found.hasMore) lines.push('', ctx.t('rehab:results.end'));
  // The pages keep the order first shown; a centre added since is only in a new search.
  if (list && list.version !== (await ctx.deps.services.centres.version())) lines.push('', ctx.t('rehab:results.updated'));
  if (found.items.some((item) => item.centre.sample)) lines.push('', `⚠️ ${ctx.t('rehab:results.sample')}`);
  if (found.hasMore) options.push({ value: '__more', labelKey: 'rehab:results.more' });
  if (page > 0) options.push({ value: '__prev', labelKey: 'rehab:results.previous' });
  options.push({ value: '__new', labelKey: 'rehab:results.new' });
  return { body: lines.join('\n'), options };
}

// The prompt and the buttons of one screen come from one computation per update.
const screens = new WeakMap<SceneContext, Map<string, Promise<Screen>>>();
function screen(answers: Answers, ctx: SceneContext): Promise<Screen> {
  let cache = screens.get(ctx);
  if (!cache) screens.set(ctx, (cache = new Map()));
  const key = JSON.stringify([ctx.session.data?.rehab, ctx.session.data?.rehabList, pageOf(answers), ctx.locale]);
  let built = cache.get(key);
  if (!built) cache.set(key, (built = buildScreen(answers, ctx)));
  return built;
}

const centreId = (value: unknown): string | null => (typeof value === 'string' && value.startsWith(CENTRE) ? value.slice(CENTRE.length) : null);

async function cardParams(answers: Answers, ctx: SceneContext): Promise<Record<string, unknown>> {
  const id = centreId(answers.pick);
  const centre = id ? await ctx.deps.services.centres.get(id) : null;
  if (!centre) return { card: ctx.t('rehab:results.gone') };
  const search = readSearch(ctx);
  const km = search?.where.type === 'point' ? distanceKm(search.where, centre) : undefined;
  return { card: cardText(centre, ctx, km) };
}

/**
 * One page of results as a question (so typed numbers work like taps), then the chosen
 * centre's card with what to do next. Each page is a fresh entry of this scene.
 */
export const rehabResultsScene = defineScene(answers, {
  id: REHAB_RESULTS_SCENE,
  version: 1,
  namespace: 'rehab',
  titleKey: 'rehab:results.title',
  inactivitySeconds: 30 * 60,
  async enter(_ctx, seed) {
    return { answers: { page: pageOf(seed), screen: randomBytes(3).toString('base64url') } };
  },
  // Back on a list goes to the page before it, and from the first page to the search itself.
  async backFromStart(answers, ctx) {
    const page = pageOf(answers);
    return page > 0 && readSearch(ctx) ? { scene: REHAB_RESULTS_SCENE, seed: { page: page - 1 } } : { scene: REHAB_SEARCH_SCENE };
  },
  steps: [
    {
      id: 'pick',
      kind: 'choice',
      prompt: 'rehab:results.prompt',
      promptParams: async (answers, ctx) => ({ body: (await screen(answers, ctx)).body }),
      options: async (answers, ctx) => (await screen(answers, ctx)).options,
      summarize: (value) => String(value),
      callbackTag: (answers) => answers.screen ?? '',
      async check(value, _answers, ctx) {
        const id = centreId(value);
        if (!id) return { ok: true };
        const centre = await ctx.deps.services.centres.get(id);
        if (!centre) return { errorKey: 'rehab:results.gone' };
        // The map pin goes first, so the card and its buttons stay at the bottom of the chat.
        return { ok: true, replies: [venueOf(centre, ctx.locale)] };
      },
    },
    {
      id: 'card',
      kind: 'choice',
      prompt: 'rehab:card.prompt',
      when: (answers) => centreId(answers.pick) !== null,
      promptParams: cardParams,
      options: [
        { value: 'back', labelKey: 'rehab:card.back' },
        { value: 'new', labelKey: 'rehab:card.new' },
        { value: 'menu', labelKey: 'rehab:card.menu' },
      ],
    },
  ],
  async complete(answers, ctx) {
    const page = answers.page;
    const choice = answers.card ?? answers.pick;
    const show = (next: number, data?: SceneResult['data']): SceneResult => ({ replies: [], ...(data ? { data } : {}), next: { scene: REHAB_RESULTS_SCENE, seed: { page: next } } });
    if (choice === 'menu') return { replies: [], showMenu: true };
    if (choice === '__new' || choice === 'new') return { replies: [], next: { scene: REHAB_SEARCH_SCENE } };
    const search = readSearch(ctx);
    if (!search) return { replies: [{ kind: 'text', text: ctx.t('rehab:results.expired') }], showMenu: true };
    const list = readList(ctx);
    if (choice === '__more') {
      // The next page and whether one follows it come from the list: take more when it ends there.
      if (list?.more && (page + 2) * PAGE_SIZE >= list.ids.length) {
        return show(page + 1, { rehabList: await ctx.deps.services.centres.extendList(search, list, LIST_STEP) });
      }
      return show(page + 1);
    }
    // Offered when a page emptied under the person: the search again, as the directory is now.
    if (choice === '__first') return show(0, await newSearch(ctx, search));
    if (choice === '__prev') return show(Math.max(0, page - 1));
    const near = choice.startsWith(NEAR) ? choice.slice(NEAR.length) : '';
    if (isRegionKey(near)) return show(0, await newSearch(ctx, { ...search, where: { type: 'region', region: near } }));
    if (choice === '__home') return show(0, await newSearch(ctx, { ...search, help: 'home-based', where: { type: 'region', region: homeRegion(search) } }));
    return show(page);
  },
});
