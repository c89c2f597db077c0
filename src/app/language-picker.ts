import { LOCALES, type Input, type Locale, type Reply } from '../telegram/types.js';
import { CB } from '../engine/callback-data.js';
import { matchTyped, numbered } from '../engine/options.js';
import type { HandlerContext } from './types.js';
import { LANGUAGE_NAMES } from '../domain/languages.js';

/** Each language is named in itself, so a person finds theirs whatever the bot speaks now. */

/** Other words people type for a language, in any of the three (Kazakh also in Latin letters). */
const LANGUAGE_ALIASES: Record<Locale, string[]> = {
  kk: ['kk', 'kazakh', 'казахский', 'казахском', 'каз', 'қазақ', 'kz', 'qazaqsha', 'kazaksha', 'kazakhsha', 'qazaq'],
  ru: ['ru', 'russian', 'русском', 'орысша', 'орыс', 'рус', 'orys', 'orysha', 'russkiy'],
  en: ['en', 'англ', 'английский', 'английском', 'ағылшынша', 'ағылшын', 'eng', 'agylshyn'],
};

// The words around a language's name: "на русском", "казахский язык", "орыс тілі", "in English".
const AROUND_NAME = new Set(['на', 'по', 'язык', 'языке', 'тілі', 'тілінде', 'тіл', 'in', 'language']);
const withoutWordsAround = (typed: string): string =>
  typed
    .split(/\s+/)
    .filter((word) => !AROUND_NAME.has(word.toLowerCase()))
    .join(' ');

/** The picker, with a tick on the current (or Telegram-reported) language. */
export function languagePicker(ctx: HandlerContext, greeting: boolean): Reply {
  const current = ctx.session.locale ?? ctx.locale;
  // The tick marks the current language for the eye; the last line says it for the ear.
  const choose = `${ctx.t('common:language.choose')}\n\n${ctx.t('common:language.current', { language: LANGUAGE_NAMES[current] })}`;
  const text = greeting ? `${ctx.t('common:start.greeting')}\n\n${choose}` : choose;
  const buttons = LOCALES.map((locale, index) => [
    { text: `${current === locale ? '✓ ' : ''}${numbered(index, LANGUAGE_NAMES[locale])}`, data: CB.language(locale) },
  ]);
  return { kind: 'text', text, buttons };
}

/** The language a tap or typed answer picks, if any. */
export function pickedLanguage(input: Input): Locale | null {
  if (input.kind === 'callback' && input.data.startsWith('lang:')) {
    const locale = input.data.slice(5);
    return (LOCALES as readonly string[]).includes(locale) ? (locale as Locale) : null;
  }
  if (input.kind !== 'text') return null;
  const shown = LOCALES.map((locale) => ({ value: locale, label: LANGUAGE_NAMES[locale], aliases: LANGUAGE_ALIASES[locale] }));
  const picked = matchTyped(input.text, shown) ?? matchTyped(withoutWordsAround(input.text), shown);
  return (picked?.value as Locale | undefined) ?? null;
}
