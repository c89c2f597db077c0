import { describe, it, expect } from 'vitest';
import {
  NEIGHBOURS,
  REGION_KEYS,
  REGIONS,
  isRegionKey,
  matchRegion,
  regionKeysByName,
  regionName,
  surroundingRegion,
  type RegionKey,
} from '../../src/domain/regions.js';

describe('region data', () => {
  it('has the 17 regions and 3 cities of docs/domain.md', () => {
    expect(REGION_KEYS).toHaveLength(20);
    expect(new Set(REGION_KEYS).size).toBe(20);
    expect(REGION_KEYS.filter((k) => REGIONS[k].isCity)).toEqual(['astana', 'almaty', 'shymkent']);
    for (const key of REGION_KEYS) {
      const r = REGIONS[key];
      expect(r.key).toBe(key);
      expect(r.centre === null).toBe(r.isCity);
      for (const locale of ['kk', 'ru', 'en'] as const) expect(regionName(key, locale)).toBe(r.names[locale]);
    }
  });

  it('keeps the coordinates inside Kazakhstan', () => {
    for (const key of REGION_KEYS) {
      expect(REGIONS[key].latitude).toBeGreaterThan(40.5);
      expect(REGIONS[key].latitude).toBeLessThan(55.5);
      expect(REGIONS[key].longitude).toBeGreaterThan(46.4);
      expect(REGIONS[key].longitude).toBeLessThan(87.4);
    }
  });

  it('recognises keys', () => {
    expect(isRegionKey('almaty-region')).toBe(true);
    expect(isRegionKey('almaty region')).toBe(false);
    expect(isRegionKey(7)).toBe(false);
  });
});

describe('NEIGHBOURS', () => {
  it('covers every region and only known keys', () => {
    expect(Object.keys(NEIGHBOURS).sort()).toEqual([...REGION_KEYS].sort());
    for (const key of REGION_KEYS) {
      expect(NEIGHBOURS[key].length).toBeGreaterThan(0);
      for (const n of NEIGHBOURS[key]) expect(isRegionKey(n)).toBe(true);
      expect(NEIGHBOURS[key]).not.toContain(key);
      expect(new Set(NEIGHBOURS[key]).size).toBe(NEIGHBOURS[key].length);
    }
  });

  it('is symmetric', () => {
    for (const a of REGION_KEYS) for (const b of NEIGHBOURS[a]) expect(NEIGHBOURS[b], `${b} should list ${a}`).toContain(a);
  });

  it('links each city to the region around it, and only to it', () => {
    expect(NEIGHBOURS.astana).toEqual(['akmola']);
    expect(NEIGHBOURS.almaty).toEqual(['almaty-region']);
    expect(NEIGHBOURS.shymkent).toEqual(['turkistan']);
    expect(surroundingRegion('almaty')).toBe('almaty-region');
    expect(surroundingRegion('karaganda')).toBe('karaganda');
  });

  it('reflects the 2022 borders', () => {
    expect(NEIGHBOURS['east-kazakhstan']).toEqual(['abai']);
    expect(NEIGHBOURS.ulytau).toEqual(expect.arrayContaining(['karaganda', 'kostanay', 'aktobe', 'kyzylorda', 'turkistan', 'zhambyl']));
    expect(NEIGHBOURS.zhetysu).toEqual(expect.arrayContaining(['abai', 'almaty-region']));
    expect(NEIGHBOURS.akmola).not.toContain('ulytau');
    expect(NEIGHBOURS.karaganda).not.toContain('turkistan');
  });
});

describe('regionKeysByName', () => {
  const names = (locale: 'kk' | 'ru' | 'en') => regionKeysByName(locale).map((k) => regionName(k, locale));

  it('sorts Kazakh names in the Kazakh alphabet: Ә after А, Қ after К, Ұ after У, Ш near the end', () => {
    expect(names('kk')).toEqual([
      'Абай облысы', 'Ақмола облысы', 'Ақтөбе облысы', 'Алматы қаласы', 'Алматы облысы', 'Астана қаласы', 'Атырау облысы',
      'Батыс Қазақстан облысы', 'Жамбыл облысы', 'Жетісу облысы', 'Қарағанды облысы', 'Қостанай облысы', 'Қызылорда облысы',
      'Маңғыстау облысы', 'Павлодар облысы', 'Солтүстік Қазақстан облысы', 'Түркістан облысы', 'Ұлытау облысы',
      'Шығыс Қазақстан облысы', 'Шымкент қаласы',
    ]);
  });

  it('sorts Russian names in the Russian alphabet, ignoring «город» and «область» in front', () => {
    const ru = names('ru');
    expect(ru[0]).toBe('область Абай');
    expect(ru.indexOf('город Алматы')).toBe(ru.indexOf('Алматинская область') + 1);
    expect(ru.indexOf('Восточно-Казахстанская область')).toBeLessThan(ru.indexOf('Жамбылская область'));
    expect(ru.indexOf('область Жетісу')).toBeLessThan(ru.indexOf('Западно-Казахстанская область'));
    expect(ru.at(-1)).toBe('город Шымкент');
  });

  it('sorts English names in the English alphabet, not in the Russian order', () => {
    const en = names('en');
    expect(en.indexOf('East Kazakhstan Region')).toBeLessThan(en.indexOf('Karaganda Region'));
    expect(en.slice(-2)).toEqual(['Zhambyl Region', 'Zhetysu Region']);
  });
});

describe('matchRegion', () => {
  it('matches every region by each of its three names and its centre', () => {
    for (const key of REGION_KEYS) {
      const r = REGIONS[key];
      for (const name of Object.values(r.names)) expect(matchRegion(name), name).toBe(key);
      if (r.centre) for (const name of Object.values(r.centre)) expect(matchRegion(name), name).toBe(key);
      for (const alias of r.aliases) expect(matchRegion(alias), alias).toBe(key);
      expect(matchRegion(key)).toBe(key);
    }
  });

  it.each<[string, RegionKey]>([
    ['Semey', 'abai'],
    ['Karaganda', 'karaganda'],
    ['Oral', 'west-kazakhstan'],
    ['Uralsk', 'west-kazakhstan'],
    ['Petropavl', 'north-kazakhstan'],
    ['Абайская', 'abai'],
    ['Абайская обл.', 'abai'],
    ['Жетысуская', 'zhetysu'],
    ['Улытауская область', 'ulytau'],
    ['Нур-Султан', 'astana'],
    ['Nur-Sultan', 'astana'],
    ['Нұр-Сұлтан', 'astana'],
    ['Астана', 'astana'],
    ['г. Астана', 'astana'],
    ['Алма-Ата', 'almaty'],
    ['Alma-Ata', 'almaty'],
    ['ВКО', 'east-kazakhstan'],
    ['СКО', 'north-kazakhstan'],
    ['ЗКО', 'west-kazakhstan'],
    ['ЮКО', 'turkistan'],
    ['Akmolinskaya', 'akmola'],
    ['Алматинская', 'almaty-region'],
    ['Almaty oblast', 'almaty-region'],
    ['Taldykorgan', 'zhetysu'],
    ['Konaev', 'almaty-region'],
    ['Kapchagay', 'almaty-region'],
    ['Қапшағай', 'almaty-region'],
    ['Zhezkazgan', 'ulytau'],
    ['Ust-Kamenogorsk', 'east-kazakhstan'],
    ['Oskemen', 'east-kazakhstan'],
    ['Kyzylorda', 'kyzylorda'],
  ])('matches %j', (typed, key) => {
    expect(matchRegion(typed)).toBe(key);
  });

  it('tells Almaty the city from Almaty Region', () => {
    expect(matchRegion('Алматы')).toBe('almaty');
    expect(matchRegion('алматы')).toBe('almaty');
    expect(matchRegion('Almaty')).toBe('almaty');
    expect(matchRegion('город Алматы')).toBe('almaty');
    expect(matchRegion('Алматы қ.')).toBe('almaty');
    expect(matchRegion('Алматы облысы')).toBe('almaty-region');
    expect(matchRegion('Алматинская обл.')).toBe('almaty-region');
    expect(matchRegion('Almaty Region')).toBe('almaty-region');
    expect(matchRegion('Alma-Ata oblast')).toBe('almaty-region');
  });

  it('resolves Turkestan and Shymkent correctly', () => {
    expect(matchRegion('Туркестан')).toBe('turkistan');
    expect(matchRegion('город Туркестан')).toBe('turkistan');
    expect(matchRegion('Түркістан облысы')).toBe('turkistan');
    expect(matchRegion('Шымкент')).toBe('shymkent');
    expect(matchRegion('Shymkent')).toBe('shymkent');
    expect(matchRegion('Чимкентская область')).toBe('turkistan');
  });

  it('ignores case, punctuation, spacing and Kazakh/Russian letter variants', () => {
    expect(matchRegion('Актобе')).toBe('aktobe');
    expect(matchRegion('Ақтөбе')).toBe('aktobe');
    expect(matchRegion('  ВОСТОЧНО   казахстанская!!! ')).toBe('east-kazakhstan');
    expect(matchRegion('Восточно-Казахстанской области')).toBe('east-kazakhstan');
    expect(matchRegion('Карагандинской области')).toBe('karaganda');
    expect(matchRegion('ШЫҒЫС ҚАЗАҚСТАН')).toBe('east-kazakhstan');
    expect(matchRegion('Шыгыс Казакстан облысы')).toBe('east-kazakhstan');
    expect(matchRegion('Маңғыстау')).toBe('mangystau');
    expect(matchRegion('Мангыстау')).toBe('mangystau');
    expect(matchRegion('Петропавловск')).toBe('north-kazakhstan');
    expect(matchRegion('📍 Павлодар')).toBe('pavlodar');
  });

  it.each<[string, RegionKey]>([
    ['в Карагандинской области', 'karaganda'],
    ['по Карагандинской области', 'karaganda'],
    ['во Восточно-Казахстанской области', 'east-kazakhstan'],
    ['в Алматинской области', 'almaty-region'],
    ['в области Абай', 'abai'],
    ['в Караганде', 'karaganda'],
    ['из Павлодара', 'pavlodar'],
    ['в Семее', 'abai'],
    ['в Костанае', 'kostanay'],
    ['в Усть-Каменогорске', 'east-kazakhstan'],
    ['в Нур-Султане', 'astana'],
    ['в городе Шымкенте', 'shymkent'],
    ['в г. Алматы', 'almaty'],
    ['в ВКО', 'east-kazakhstan'],
    ['Қарағанды облысында', 'karaganda'],
    ['Алматы облысынан', 'almaty-region'],
    ['Алматы облысындағы', 'almaty-region'],
    ['Атырау облысы бойынша', 'atyrau'],
    ['Астана қаласында', 'astana'],
    ['Қарағандыда', 'karaganda'],
    ['Алматыда', 'almaty'],
    ['Шымкентте', 'shymkent'],
    ['Өскеменде', 'east-kazakhstan'],
    ['Қонаевта', 'almaty-region'],
    ['Шығыс Қазақстанда', 'east-kazakhstan'],
    ['in Karaganda', 'karaganda'],
    ['in Almaty region', 'almaty-region'],
  ])('reads a place inside a sentence: %j', (typed, key) => {
    expect(matchRegion(typed)).toBe(key);
  });

  it.each(['в', 'в области', 'в Москве', 'Казахстане', 'Казахстанда', 'в Омской области', 'Ташкенте', 'Арал'])('still returns null for %j', (typed) => {
    expect(matchRegion(typed)).toBeNull();
  });

  it.each(['', '   ', 'Москва', 'asdf', 'область', 'city', 'Целиноград', '123', 'Казахстан'])('returns null for %j', (typed) => {
    expect(matchRegion(typed)).toBeNull();
  });
});
