import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n } from 'i18next';
import { LOCALES, type Locale } from '../telegram/types.js';
import { findInRepo } from '../paths.js';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export function findLocalesDir(): string {
  return findInRepo('locales');
}

export type Resources = Record<Locale, Record<string, Record<string, unknown>>>;

/** Reads every locales/<lang>/<namespace>.json; namespaces are whatever files exist. */
export function loadResources(dir = findLocalesDir()): Resources {
  const resources = {} as Resources;
  for (const locale of LOCALES) {
    resources[locale] = {};
    for (const file of readdirSync(join(dir, locale))) {
      if (!file.endsWith('.json')) continue;
      resources[locale][file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, locale, file), 'utf8')) as Record<string, unknown>;
    }
  }
  return resources;
}

export interface I18n {
  t(locale: Locale): Translate;
  /** Every namespace loaded. */
  namespaces: string[];
  instance: i18n;
}

export async function createI18n(resources: Resources = loadResources()): Promise<I18n> {
  const instance = i18next.createInstance();
  const namespaces = Object.keys(resources.en);
  await instance.init({
    resources,
    lng: 'kk',
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    ns: namespaces,
    defaultNS: 'common',
    // Messages are plain text, not HTML: nothing to escape, and names like "O'Brien" stay as typed.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const cache = new Map<Locale, Translate>();
  return {
    namespaces,
    instance,
    t(locale) {
      let translate = cache.get(locale);
      if (!translate) {
        const fixed = instance.getFixedT(locale);
        // Labels without parameters (navigation, hints) are asked for on every question; texts
        // never change at run time, so they are looked up once.
        const plain = new Map<string, string>();
        const lookup = (key: string) => {
          let text = plain.get(key);
          if (text === undefined) {
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- i18next's generic result type cannot be narrowed to string by a type argument
            text = fixed(key) as string;
            plain.set(key, text);
          }
          return text;
        };
        translate = (key, params) => {
          if (!params || Object.keys(params).length === 0) return lookup(key);
          // Plurals need i18next's rules; a plain {{name}} fill is done here, many times cheaper.
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- i18next's generic result type cannot be narrowed to string by a type argument
          if ('count' in params) return fixed(key, params) as string;
          return lookup(key).replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
        };
        cache.set(locale, translate);
      }
      return translate;
    },
  };
}

/** Telegram's language_code → one of ours; anything unknown falls back to the default. */
export function localeFromTelegram(code: string | undefined, fallback: Locale): Locale {
  const base = code?.toLowerCase().split('-')[0];
  if (base === 'kk' || base === 'ru' || base === 'en') return base;
  return fallback;
}
