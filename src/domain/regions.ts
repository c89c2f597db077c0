// The 17 regions and 3 cities of republican significance in force since 8 June 2022, with the
// spellings people actually type. Their names in the bot's three languages live in
// locales/<lang>/regions.json (name, short form for buttons, centre city), so an editor changes
// them with the other texts; this file keeps what is not text: keys, coordinates, aliases.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInRepo } from '../paths.js';
import { normalizeForMatch, type Locale } from './text.js';

export const REGION_KEYS = [
  'astana',
  'almaty',
  'shymkent',
  'abai',
  'akmola',
  'aktobe',
  'almaty-region',
  'atyrau',
  'east-kazakhstan',
  'zhambyl',
  'zhetysu',
  'west-kazakhstan',
  'karaganda',
  'kostanay',
  'kyzylorda',
  'mangystau',
  'pavlodar',
  'north-kazakhstan',
  'turkistan',
  'ulytau',
] as const;

export type RegionKey = (typeof REGION_KEYS)[number];

export type LocalizedName = Readonly<Record<Locale, string>>;

/** What the code knows about a place; names come from the locale files. */
interface Place {
  key: RegionKey;
  latitude: number;
  longitude: number;
  isCity: boolean;
  aliases: readonly string[];
}

export interface Region {
  key: RegionKey;
  names: LocalizedName;
  /** Administrative centre; null for the three cities, which are their own centre. */
  centre: LocalizedName | null;
  latitude: number;
  longitude: number;
  isCity: boolean;
  /**
   * Other spellings users type: old names (Нур-Султан, Алма-Ата, Уральск), Russian adjectives
   * without "область", abbreviations (ВКО), Latin transliterations. Names and centres above are
   * matched too and need not be repeated here.
   */
  aliases: readonly string[];
}

const PLACES: Readonly<Record<RegionKey, Place>> = {
  astana: {
    key: 'astana',
    latitude: 51.1694,
    longitude: 71.4491,
    isCity: true,
    // Renamed Nur-Sultan in 2019 and back to Astana in 2022; people still use both.
    aliases: ['Нур-Султан', 'Нұр-Сұлтан', 'Nur-Sultan', 'Нурсултан', 'Nursultan'],
  },
  almaty: {
    key: 'almaty',
    latitude: 43.2389,
    longitude: 76.9458,
    isCity: true,
    aliases: ['Алма-Ата', 'Alma-Ata', 'Алмата', 'Almaty city'],
  },
  shymkent: {
    key: 'shymkent',
    latitude: 42.3417,
    longitude: 69.5901,
    isCity: true,
    aliases: ['Чимкент', 'Chimkent', 'Shymkent city'],
  },
  abai: {
    key: 'abai',
    latitude: 50.4111,
    longitude: 80.2275,
    isCity: false,
    aliases: ['Абайская', 'Abay', 'Abaiskaya', 'Semei', 'Семипалатинск', 'Semipalatinsk'],
  },
  akmola: {
    key: 'akmola',
    latitude: 53.2796,
    longitude: 69.3885,
    isCity: false,
    aliases: ['Akmolinskaya', 'Aqmola', 'Кокчетав', 'Kokchetav'],
  },
  aktobe: {
    key: 'aktobe',
    latitude: 50.2839,
    longitude: 57.167,
    isCity: false,
    aliases: ['Актюбинск', 'Aktyubinsk', 'Aktyubinskaya', 'Aqtobe'],
  },
  'almaty-region': {
    key: 'almaty-region',
    latitude: 43.8778,
    longitude: 77.0678,
    isCity: false,
    // Konaev was called Kapchagay (Қапшағай) until 2022, and is spelled several ways.
    aliases: [
      'Almatinskaya',
      'Алма-Атинская',
      'Qonaev',
      'Kunaev',
      'Qonayev',
      'Konayev',
      'Кунаев',
      'Қапшағай',
      'Капшагай',
      'Капчагай',
      'Kapchagay',
      'Kapchagai',
      'Kapshagay',
      'Kapshagai',
    ],
  },
  atyrau: {
    key: 'atyrau',
    latitude: 47.1067,
    longitude: 51.9213,
    isCity: false,
    aliases: ['Atyrauskaya', 'Гурьев', 'Guryev'],
  },
  'east-kazakhstan': {
    key: 'east-kazakhstan',
    latitude: 49.9716,
    longitude: 82.6059,
    isCity: false,
    aliases: ['ВКО', 'ШҚО', 'VKO', 'EKR', 'Восточный Казахстан', 'Ust-Kamenogorsk'],
  },
  zhambyl: {
    key: 'zhambyl',
    latitude: 42.9,
    longitude: 71.3667,
    isCity: false,
    aliases: ['Jambyl', 'Zhambylskaya', 'Джамбул', 'Джамбульская', 'Dzhambul'],
  },
  zhetysu: {
    key: 'zhetysu',
    latitude: 45.0156,
    longitude: 78.3739,
    isCity: false,
    aliases: ['Жетысу', 'Жетысуская', 'Jetisu', 'Zhetisu', 'Zhetysuskaya', 'Талдыкурган', 'Taldyqorgan', 'Taldykurgan'],
  },
  'west-kazakhstan': {
    key: 'west-kazakhstan',
    latitude: 51.2333,
    longitude: 51.3667,
    isCity: false,
    aliases: ['ЗКО', 'БҚО', 'ZKO', 'WKR', 'Западный Казахстан', 'Uralsk'],
  },
  karaganda: {
    key: 'karaganda',
    latitude: 49.802,
    longitude: 73.0879,
    isCity: false,
    aliases: ['Karagandy', 'Qaragandy', 'Qaraghandy', 'Karagandinskaya'],
  },
  kostanay: {
    key: 'kostanay',
    latitude: 53.2198,
    longitude: 63.6354,
    isCity: false,
    aliases: ['Kostanai', 'Qostanay', 'Qostanai', 'Кустанай', 'Kustanai', 'Kostanayskaya'],
  },
  kyzylorda: {
    key: 'kyzylorda',
    latitude: 44.8488,
    longitude: 65.4823,
    isCity: false,
    aliases: ['Qyzylorda', 'Кзыл-Орда', 'Kzyl-Orda', 'Kyzylordinskaya'],
  },
  mangystau: {
    key: 'mangystau',
    latitude: 43.6481,
    longitude: 51.1722,
    isCity: false,
    aliases: ['Мангистау', 'Mangistau', 'Mangghystau', 'Мангышлак', 'Mangyshlak', 'Aqtau', 'Mangistauskaya'],
  },
  pavlodar: {
    key: 'pavlodar',
    latitude: 52.2873,
    longitude: 76.9674,
    isCity: false,
    aliases: ['Pavlodarskaya'],
  },
  'north-kazakhstan': {
    key: 'north-kazakhstan',
    latitude: 54.8753,
    longitude: 69.1639,
    isCity: false,
    aliases: ['СКО', 'СҚО', 'SKO', 'NKR', 'Северный Казахстан', 'Petropavlovsk', 'Қызылжар'],
  },
  turkistan: {
    key: 'turkistan',
    latitude: 43.3014,
    longitude: 68.2755,
    isCity: false,
    // Called South Kazakhstan (ЮКО / ОҚО) until 2018, when Shymkent became a separate city,
    // and Chimkent oblast in Soviet times.
    aliases: [
      'Чимкентская',
      'Шымкентская',
      'Turkestan',
      'Turkestanskaya',
      'ЮКО',
      'ОҚО',
      'YuKO',
      'Южно-Казахстанская',
      'Южный Казахстан',
      'Оңтүстік Қазақстан',
      'South Kazakhstan',
    ],
  },
  ulytau: {
    key: 'ulytau',
    latitude: 47.7833,
    longitude: 67.7667,
    isCity: false,
    aliases: ['Улытау', 'Улытауская', 'Ulytauskaya', 'Jezkazgan', 'Dzhezkazgan', 'Джезказган'],
  },
};

const LOCALES: readonly Locale[] = ['kk', 'ru', 'en'];

interface RegionTexts {
  /** Official name: "Қарағанды облысы", "город Астана". */
  name: Record<string, string>;
  /** For buttons that add words or a count to the name: "Восточный Казахстан", "Астана". */
  short: Record<string, string>;
  /** The administrative centre; for the three cities, the city itself. */
  centre: Record<string, string>;
}

function readRegionTexts(): Record<Locale, RegionTexts> {
  const dir = findInRepo('locales');
  const texts = {} as Record<Locale, RegionTexts>;
  for (const locale of LOCALES) {
    const parsed = JSON.parse(readFileSync(join(dir, locale, 'regions.json'), 'utf8')) as Partial<RegionTexts>;
    for (const part of ['name', 'short', 'centre'] as const) {
      for (const key of REGION_KEYS) {
        if (typeof parsed[part]?.[key] !== 'string') throw new Error(`locales/${locale}/regions.json lacks ${part}.${key}`);
      }
    }
    texts[locale] = parsed as RegionTexts;
  }
  return texts;
}

const TEXTS = readRegionTexts();
const localized = (part: keyof RegionTexts, key: RegionKey): LocalizedName => ({
  kk: TEXTS.kk[part][key]!,
  ru: TEXTS.ru[part][key]!,
  en: TEXTS.en[part][key]!,
});

export const REGIONS: Readonly<Record<RegionKey, Region>> = Object.fromEntries(
  REGION_KEYS.map((key) => {
    const place = PLACES[key];
    return [key, { ...place, names: localized('name', key), centre: place.isCity ? null : localized('centre', key) }];
  }),
) as Record<RegionKey, Region>;

/**
 * Regions sharing a land border, plus each city of republican significance with the region
 * around it. Compiled from the regions' published descriptions after the 2022 reform; the
 * shores of Lake Balkhash (Karaganda opposite Almaty Region and Zhetysu) are a water boundary
 * and are not counted. Used to suggest nearby centres when a region has none.
 */
export const NEIGHBOURS: Readonly<Record<RegionKey, readonly RegionKey[]>> = {
  astana: ['akmola'],
  almaty: ['almaty-region'],
  shymkent: ['turkistan'],
  abai: ['east-kazakhstan', 'karaganda', 'pavlodar', 'zhetysu'],
  akmola: ['astana', 'karaganda', 'kostanay', 'north-kazakhstan', 'pavlodar'],
  aktobe: ['atyrau', 'kostanay', 'kyzylorda', 'mangystau', 'ulytau', 'west-kazakhstan'],
  'almaty-region': ['almaty', 'zhambyl', 'zhetysu'],
  atyrau: ['aktobe', 'mangystau', 'west-kazakhstan'],
  'east-kazakhstan': ['abai'],
  zhambyl: ['almaty-region', 'karaganda', 'turkistan', 'ulytau'],
  zhetysu: ['abai', 'almaty-region'],
  'west-kazakhstan': ['aktobe', 'atyrau'],
  karaganda: ['abai', 'akmola', 'kostanay', 'pavlodar', 'ulytau', 'zhambyl'],
  kostanay: ['akmola', 'aktobe', 'karaganda', 'north-kazakhstan', 'ulytau'],
  kyzylorda: ['aktobe', 'turkistan', 'ulytau'],
  mangystau: ['aktobe', 'atyrau'],
  pavlodar: ['abai', 'akmola', 'karaganda', 'north-kazakhstan'],
  'north-kazakhstan': ['akmola', 'kostanay', 'pavlodar'],
  turkistan: ['kyzylorda', 'shymkent', 'ulytau', 'zhambyl'],
  ulytau: ['aktobe', 'karaganda', 'kostanay', 'kyzylorda', 'turkistan', 'zhambyl'],
};

export function isRegionKey(value: unknown): value is RegionKey {
  return typeof value === 'string' && (REGION_KEYS as readonly string[]).includes(value);
}

export function regionName(key: RegionKey, locale: Locale): string {
  return REGIONS[key].names[locale];
}

/** A shorter name for buttons that add words or a count ("Восточный Казахстан (3)"). */
export function regionShortName(key: RegionKey, locale: Locale): string {
  return TEXTS[locale].short[key]!;
}

/** The city a region is run from, or the city itself for Astana, Almaty and Shymkent. */
export function centreCityName(key: RegionKey, locale: Locale): string {
  return TEXTS[locale].centre[key]!;
}

// "город Астана", "область Абай": a reader looks these up under А, not under Г or О.
const SORT_PREFIX = /^(город|область)\s+/i;
const ORDER = new Map<Locale, readonly RegionKey[]>();

/** The 20 keys in the alphabetical order of the reader's language (Kazakh order for kk). */
export function regionKeysByName(locale: Locale): readonly RegionKey[] {
  let order = ORDER.get(locale);
  if (!order) {
    const collator = new Intl.Collator(locale);
    const sortKey = (key: RegionKey) => regionName(key, locale).replace(SORT_PREFIX, '');
    order = [...REGION_KEYS].sort((a, b) => collator.compare(sortKey(a), sortKey(b)));
    ORDER.set(locale, order);
  }
  return order;
}

// Words that only say what kind of place was typed. They are removed before matching, but
// remembered: "Алматы" alone is the city, "Алматы облысы" / "Almaty region" is the region.
// "қ." and "г." are the usual abbreviations of қаласы / город.
const REGION_WORDS = new Set(['облыс', 'облысы', 'облысында', 'область', 'области', 'обл', 'region', 'oblast', 'oblys', 'oblysy', 'province']);
const CITY_WORDS = new Set(['каласы', 'кала', 'к', 'город', 'городе', 'г', 'гор', 'city', 'kalasy', 'qalasy']);
// The same words with Kazakh or Russian case endings ("облысынан", "қаласында", "областью",
// "города"); no region's own name begins with these stems.
const REGION_STEMS = ['облыс', 'област'];
const CITY_STEMS = ['каласы', 'калад', 'город'];
// Prepositions people put before a place ("в Караганде", "по области", "in Almaty") and the
// Kazakh postposition "бойынша" (по); none of them is part of a region's name.
const FILLER_WORDS = new Set(['of', 'the', 'in', 'at', 'near', 'from', 'в', 'во', 'из', 'по', 'на', 'около', 'возле', 'бойынша']);

const hasStem = (word: string, stems: readonly string[]) => stems.some((stem) => word.startsWith(stem));

type Kind = 'region' | 'city' | null;

// Russian adjectival names get declined in sentences ("в Карагандинской области"); bring
// the common case endings back to the nominative feminine used in the official names.
function toNominative(word: string): string {
  return word.replace(/([сц]к)(ой|ою|ую|ая|ий|ое|ие)$/, '$1ая');
}

function analyse(text: string): { core: string; kind: Kind } {
  let kind: Kind = null;
  const words: string[] = [];
  for (const w of normalizeForMatch(text).split(' ')) {
    if (w === '') continue;
    if (REGION_WORDS.has(w) || hasStem(w, REGION_STEMS)) kind = 'region';
    else if (CITY_WORDS.has(w) || hasStem(w, CITY_STEMS)) kind ??= 'city';
    else if (!FILLER_WORDS.has(w)) words.push(toNominative(w));
  }
  return { core: words.join(' '), kind };
}

// core text → regions it can name. A core names two regions only for Almaty (the city and
// the region share the word); the kind word decides between them.
const INDEX: ReadonlyMap<string, readonly RegionKey[]> = (() => {
  const index = new Map<string, RegionKey[]>();
  const add = (label: string, key: RegionKey): void => {
    const { core } = analyse(label);
    if (core === '') return;
    const keys = index.get(core) ?? [];
    if (!keys.includes(key)) keys.push(key);
    index.set(core, keys);
  };
  for (const key of REGION_KEYS) {
    const r = REGIONS[key];
    add(key, key);
    for (const name of Object.values(r.names)) add(name, key);
    for (const locale of LOCALES) add(regionShortName(key, locale), key);
    if (r.centre) for (const name of Object.values(r.centre)) add(name, key);
    for (const alias of r.aliases) add(alias, key);
  }
  return index;
})();

// The region around each city of republican significance. People still say "Alma-Ata
// oblast" or "Шымкентская область" for the region that surrounds (or used to contain) the city.
const SURROUNDING_REGION: Readonly<Partial<Record<RegionKey, RegionKey>>> = {
  astana: 'akmola',
  almaty: 'almaty-region',
  shymkent: 'turkistan',
};

/** The region itself, or for a city of republican significance the region around it. */
export function surroundingRegion(key: RegionKey): RegionKey {
  return SURROUNDING_REGION[key] ?? key;
}

// Case endings a place name takes in a sentence, after normalizeForMatch folded Kazakh letters
// (қ→к, ғ→г, і→и): Kazakh locative, ablative, dative, genitive, accusative and "-дағы"
// ("Қарағандыда", "Өскеменнен", "Астанаға"), Russian prepositional, genitive, dative and
// instrumental ("в Караганде", "из Павлодара", "Семее", "Уральском").
const CASE_ENDINGS = [
  ...['да', 'де', 'та', 'те', 'нда', 'нде', 'дан', 'ден', 'тан', 'тен', 'нан', 'нен'],
  ...['га', 'ге', 'ка', 'ке', 'на', 'не', 'дын', 'дин', 'тын', 'тин', 'нын', 'нин'],
  ...['ды', 'ди', 'ты', 'ти', 'ны', 'ни', 'дагы', 'деги', 'тагы', 'теги', 'ндагы', 'ндеги'],
  ...['а', 'е', 'у', 'ы', 'и', 'ой', 'ом', 'ем', 'ью'],
];
// Russian nouns lose their last vowel or "й" when declined: Караганда → Караганде, Семей → Семее.
const RESTORED_ENDINGS = ['', 'а', 'й'];
/** Shorter stems than this are too ambiguous to guess from. */
const MIN_STEM = 3;

/**
 * The regions a core names once the case ending of its last word is taken off. Every reading
 * is tried and their regions pooled, so a form two regions could explain stays unmatched.
 */
function declinedCandidates(core: string): RegionKey[] {
  const words = core.split(' ');
  const last = words.pop() ?? '';
  const found = new Set<RegionKey>();
  for (const ending of CASE_ENDINGS) {
    if (!last.endsWith(ending) || last.length - ending.length < MIN_STEM) continue;
    const stem = last.slice(0, -ending.length);
    for (const restored of RESTORED_ENDINGS) {
      for (const key of INDEX.get([...words, stem + restored].join(' ')) ?? []) found.add(key);
    }
  }
  return [...found];
}

/**
 * The region a user means by free text, or null. Matches the official names in kk/ru/en, the
 * administrative centre, old names, abbreviations and transliterations, ignoring case,
 * punctuation, Kazakh-vs-Russian letters, prepositions ("в", "in"), case endings ("в Караганде",
 * "Қарағанды облысында") and the words "облысы/область/region/қаласы/город".
 * A bare "Алматы" is the city; with a region word ("Алматы облысы", "Almaty oblast") it is
 * Almaty Region.
 */
export function matchRegion(typed: string): RegionKey | null {
  const { core, kind } = analyse(typed);
  if (core === '') return null;
  const candidates = INDEX.get(core) ?? declinedCandidates(core);
  if (candidates.length === 0) return null;
  if (kind === 'region') {
    const regions = [...new Set(candidates.map(surroundingRegion))];
    return regions.length === 1 ? (regions[0] ?? null) : null;
  }
  if (candidates.length === 1) return candidates[0] ?? null;
  // Without a region word, a name shared by a city and a region means the city.
  const cities = candidates.filter((key) => REGIONS[key].isCity);
  return cities.length === 1 ? (cities[0] ?? null) : null;
}
