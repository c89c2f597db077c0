// The 17 regions and 3 cities of republican significance in force since 8 June 2022
// (DOMAIN.md), with names in the bot's three languages and the spellings people actually type.

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

export const REGIONS: Readonly<Record<RegionKey, Region>> = {
  astana: {
    key: 'astana',
    names: { kk: 'Астана қаласы', ru: 'город Астана', en: 'Astana (city)' },
    centre: null,
    latitude: 51.1694,
    longitude: 71.4491,
    isCity: true,
    // Renamed Nur-Sultan in 2019 and back to Astana in 2022; people still use both.
    aliases: ['Нур-Султан', 'Нұр-Сұлтан', 'Nur-Sultan', 'Нурсултан', 'Nursultan'],
  },
  almaty: {
    key: 'almaty',
    names: { kk: 'Алматы қаласы', ru: 'город Алматы', en: 'Almaty (city)' },
    centre: null,
    latitude: 43.2389,
    longitude: 76.9458,
    isCity: true,
    aliases: ['Алма-Ата', 'Alma-Ata', 'Алмата', 'Almaty city'],
  },
  shymkent: {
    key: 'shymkent',
    names: { kk: 'Шымкент қаласы', ru: 'город Шымкент', en: 'Shymkent (city)' },
    centre: null,
    latitude: 42.3417,
    longitude: 69.5901,
    isCity: true,
    aliases: ['Чимкент', 'Chimkent', 'Shymkent city'],
  },
  abai: {
    key: 'abai',
    names: { kk: 'Абай облысы', ru: 'область Абай', en: 'Abai Region' },
    centre: { kk: 'Семей', ru: 'Семей', en: 'Semey' },
    latitude: 50.4111,
    longitude: 80.2275,
    isCity: false,
    aliases: ['Абайская', 'Abay', 'Abaiskaya', 'Semei', 'Семипалатинск', 'Semipalatinsk'],
  },
  akmola: {
    key: 'akmola',
    names: { kk: 'Ақмола облысы', ru: 'Акмолинская область', en: 'Akmola Region' },
    centre: { kk: 'Көкшетау', ru: 'Кокшетау', en: 'Kokshetau' },
    latitude: 53.2796,
    longitude: 69.3885,
    isCity: false,
    aliases: ['Akmolinskaya', 'Aqmola', 'Кокчетав', 'Kokchetav'],
  },
  aktobe: {
    key: 'aktobe',
    names: { kk: 'Ақтөбе облысы', ru: 'Актюбинская область', en: 'Aktobe Region' },
    centre: { kk: 'Ақтөбе', ru: 'Актобе', en: 'Aktobe' },
    latitude: 50.2839,
    longitude: 57.167,
    isCity: false,
    aliases: ['Актюбинск', 'Aktyubinsk', 'Aktyubinskaya', 'Aqtobe'],
  },
  'almaty-region': {
    key: 'almaty-region',
    names: { kk: 'Алматы облысы', ru: 'Алматинская область', en: 'Almaty Region' },
    centre: { kk: 'Қонаев', ru: 'Конаев', en: 'Konaev' },
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
    names: { kk: 'Атырау облысы', ru: 'Атырауская область', en: 'Atyrau Region' },
    centre: { kk: 'Атырау', ru: 'Атырау', en: 'Atyrau' },
    latitude: 47.1067,
    longitude: 51.9213,
    isCity: false,
    aliases: ['Atyrauskaya', 'Гурьев', 'Guryev'],
  },
  'east-kazakhstan': {
    key: 'east-kazakhstan',
    names: { kk: 'Шығыс Қазақстан облысы', ru: 'Восточно-Казахстанская область', en: 'East Kazakhstan Region' },
    centre: { kk: 'Өскемен', ru: 'Усть-Каменогорск', en: 'Oskemen' },
    latitude: 49.9716,
    longitude: 82.6059,
    isCity: false,
    aliases: ['ВКО', 'ШҚО', 'VKO', 'EKR', 'Восточный Казахстан', 'Ust-Kamenogorsk'],
  },
  zhambyl: {
    key: 'zhambyl',
    names: { kk: 'Жамбыл облысы', ru: 'Жамбылская область', en: 'Zhambyl Region' },
    centre: { kk: 'Тараз', ru: 'Тараз', en: 'Taraz' },
    latitude: 42.9,
    longitude: 71.3667,
    isCity: false,
    aliases: ['Jambyl', 'Zhambylskaya', 'Джамбул', 'Джамбульская', 'Dzhambul'],
  },
  zhetysu: {
    key: 'zhetysu',
    names: { kk: 'Жетісу облысы', ru: 'область Жетісу', en: 'Zhetysu Region' },
    centre: { kk: 'Талдықорған', ru: 'Талдыкорган', en: 'Taldykorgan' },
    latitude: 45.0156,
    longitude: 78.3739,
    isCity: false,
    aliases: ['Жетысу', 'Жетысуская', 'Jetisu', 'Zhetisu', 'Zhetysuskaya', 'Талдыкурган', 'Taldyqorgan', 'Taldykurgan'],
  },
  'west-kazakhstan': {
    key: 'west-kazakhstan',
    names: { kk: 'Батыс Қазақстан облысы', ru: 'Западно-Казахстанская область', en: 'West Kazakhstan Region' },
    centre: { kk: 'Орал', ru: 'Уральск', en: 'Oral' },
    latitude: 51.2333,
    longitude: 51.3667,
    isCity: false,
    aliases: ['ЗКО', 'БҚО', 'ZKO', 'WKR', 'Западный Казахстан', 'Uralsk'],
  },
  karaganda: {
    key: 'karaganda',
    names: { kk: 'Қарағанды облысы', ru: 'Карагандинская область', en: 'Karaganda Region' },
    centre: { kk: 'Қарағанды', ru: 'Караганда', en: 'Karaganda' },
    latitude: 49.802,
    longitude: 73.0879,
    isCity: false,
    aliases: ['Karagandy', 'Qaragandy', 'Qaraghandy', 'Karagandinskaya'],
  },
  kostanay: {
    key: 'kostanay',
    names: { kk: 'Қостанай облысы', ru: 'Костанайская область', en: 'Kostanay Region' },
    centre: { kk: 'Қостанай', ru: 'Костанай', en: 'Kostanay' },
    latitude: 53.2198,
    longitude: 63.6354,
    isCity: false,
    aliases: ['Kostanai', 'Qostanay', 'Qostanai', 'Кустанай', 'Kustanai', 'Kostanayskaya'],
  },
  kyzylorda: {
    key: 'kyzylorda',
    names: { kk: 'Қызылорда облысы', ru: 'Кызылординская область', en: 'Kyzylorda Region' },
    centre: { kk: 'Қызылорда', ru: 'Кызылорда', en: 'Kyzylorda' },
    latitude: 44.8488,
    longitude: 65.4823,
    isCity: false,
    aliases: ['Qyzylorda', 'Кзыл-Орда', 'Kzyl-Orda', 'Kyzylordinskaya'],
  },
  mangystau: {
    key: 'mangystau',
    names: { kk: 'Маңғыстау облысы', ru: 'Мангистауская область', en: 'Mangystau Region' },
    centre: { kk: 'Ақтау', ru: 'Актау', en: 'Aktau' },
    latitude: 43.6481,
    longitude: 51.1722,
    isCity: false,
    aliases: ['Мангистау', 'Mangistau', 'Mangghystau', 'Мангышлак', 'Mangyshlak', 'Aqtau', 'Mangistauskaya'],
  },
  pavlodar: {
    key: 'pavlodar',
    names: { kk: 'Павлодар облысы', ru: 'Павлодарская область', en: 'Pavlodar Region' },
    centre: { kk: 'Павлодар', ru: 'Павлодар', en: 'Pavlodar' },
    latitude: 52.2873,
    longitude: 76.9674,
    isCity: false,
    aliases: ['Pavlodarskaya'],
  },
  'north-kazakhstan': {
    key: 'north-kazakhstan',
    names: { kk: 'Солтүстік Қазақстан облысы', ru: 'Северо-Казахстанская область', en: 'North Kazakhstan Region' },
    centre: { kk: 'Петропавл', ru: 'Петропавловск', en: 'Petropavl' },
    latitude: 54.8753,
    longitude: 69.1639,
    isCity: false,
    aliases: ['СКО', 'СҚО', 'SKO', 'NKR', 'Северный Казахстан', 'Petropavlovsk', 'Қызылжар'],
  },
  turkistan: {
    key: 'turkistan',
    names: { kk: 'Түркістан облысы', ru: 'Туркестанская область', en: 'Turkistan Region' },
    centre: { kk: 'Түркістан', ru: 'Туркестан', en: 'Turkistan' },
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
    names: { kk: 'Ұлытау облысы', ru: 'область Ұлытау', en: 'Ulytau Region' },
    centre: { kk: 'Жезқазған', ru: 'Жезказган', en: 'Zhezkazgan' },
    latitude: 47.7833,
    longitude: 67.7667,
    isCity: false,
    aliases: ['Улытау', 'Улытауская', 'Ulytauskaya', 'Jezkazgan', 'Dzhezkazgan', 'Джезказган'],
  },
};

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
