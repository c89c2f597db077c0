import type { Locale } from './text.js';

/** Each language as its own speakers write it: what the language picker and My data show. */
export const LANGUAGE_NAMES: Record<Locale, string> = { kk: 'Қазақша', ru: 'Русский', en: 'English' };
