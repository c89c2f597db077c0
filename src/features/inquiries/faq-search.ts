import MiniSearch, { type SearchResult } from 'minisearch';
import { newStemmer } from 'snowball-stemmers';
import { LOCALES, type Locale } from '../../telegram/types.js';
import type { FaqEntry } from './faq-entry.js';
import { foldKazakh, stemKazakh, stemKazakhFolded } from '../../domain/kk-stemmer.js';
import { latinKazakhToCyrillic } from '../../domain/kk-latin.js';

/**
 * Knowledge base search: MiniSearch (BM25 ranking with fuzzy and prefix matching) over one index
 * per language, with Snowball stemmers for Russian and English and a Kazakh suffix stripper, so
 * "справку" / "справки" and "мүгедектік" / "мүгедектігі" meet, and typos within an edit or two
 * still match. Why MiniSearch: small, no native code, per-field boosts and fuzzy search built in,
 * and a custom term pipeline where the stemmers plug in (FlexSearch has no per-query fuzziness).
 */

const STOP: Record<Locale, string[]> = {
  ru: ['как', 'что', 'где', 'куда', 'мне', 'мой', 'моя', 'мои', 'моей', 'моего', 'моему', 'я', 'мы', 'нам', 'нас', 'он', 'она', 'они', 'это', 'ли', 'и', 'в', 'во', 'на', 'с', 'со', 'по', 'для', 'за', 'до', 'от', 'из', 'у', 'о', 'об', 'не', 'а', 'но', 'же', 'то', 'если', 'бы', 'можно', 'нужно', 'нужен', 'нужна', 'надо', 'хочу', 'есть', 'какой', 'какие', 'какое', 'кто', 'когда', 'чтобы', 'меня', 'у', 'при', 'без', 'или', 'тоже', 'здравствуйте', 'привет', 'пожалуйста', 'подскажите', 'скажите'],
  en: ['how', 'what', 'where', 'when', 'who', 'which', 'can', 'could', 'do', 'does', 'i', 'me', 'my', 'we', 'our', 'you', 'your', 'he', 'she', 'his', 'her', 'it', 'is', 'are', 'am', 'be', 'the', 'a', 'an', 'to', 'of', 'in', 'on', 'for', 'from', 'at', 'by', 'with', 'and', 'or', 'if', 'about', 'there', 'any', 'get', 'need', 'want', 'some', 'someone', 'hello', 'hi', 'please', 'they', 'will', 'have', 'has', 'this', 'that', 'much', 'many'],
  kk: ['қалай', 'қайда', 'қайдан', 'не', 'неше', 'кім', 'кімдер', 'қашан', 'қандай', 'қай', 'мен', 'маған', 'менің', 'біз', 'бізге', 'ол', 'бұл', 'және', 'бар', 'ма', 'ме', 'ба', 'бе', 'па', 'пе', 'керек', 'үшін', 'туралы', 'бойынша', 'сәлем', 'сәлеметсіз', 'бе', 'өтінемін', 'мүмкін', 'болады', 'бола', 'ала'],
};

const stemmers = { ru: newStemmer('russian'), en: newStemmer('english') };

export function normalizeTerm(term: string): string {
  return term.toLowerCase().replace(/ё/g, 'е');
}

/**
 * The indexes: one per language, and Kazakh once more in the look-alike spelling people type
 * without a Kazakh keyboard ("мугедектик" for "мүгедектік"), kept apart so folding costs
 * Kazakh typed with its own letters nothing.
 */
type IndexKey = Locale | 'kk-folded';
const INDEX_KEYS: readonly IndexKey[] = [...LOCALES, 'kk-folded'];
const textLocale = (key: IndexKey): Locale => (key === 'kk-folded' ? 'kk' : key);

function termProcessor(key: IndexKey, stem: boolean): (term: string) => string | null {
  const locale = textLocale(key);
  const folded = key === 'kk-folded' && stem;
  const fold = folded ? foldKazakh : (term: string) => term;
  const stop = new Set(STOP[locale].map(fold));
  return (raw) => {
    const term = fold(normalizeTerm(raw));
    if (term.length < 2 && !/\d/.test(term)) return null;
    if (stop.has(term)) return null;
    if (!stem) return term;
    // Mixed-language words are common (Russian terms in Kazakh questions, Latin brand names): each
    // script gets its own stemmer, whatever the index's language.
    if (/^[a-z]+$/.test(term)) return stemmers.en.stem(term);
    if (folded) return stemKazakhFolded(term);
    if (locale === 'kk') return stemKazakh(term);
    if (/^[а-я]+$/.test(term)) return stemmers.ru.stem(term);
    return term;
  };
}

const tokenize = (text: string): string[] => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

interface IndexedEntry {
  id: string;
  q: string;
  k: string;
  a: string;
}

export interface FaqHit {
  entry: FaqEntry;
  score: number;
}

/** Below this BM25 score nothing matched well enough to answer with (tuned on the question set). */
export const MIN_SCORE = 6;
/** Further entries are shown only when they score at least this share of the best one. */
const RELATIVE = 0.55;

/** Plain word matching without stemmers and typo tolerance: the baseline bench:faq compares with. */
export interface FaqIndexOptions {
  plain?: boolean;
}

export class FaqIndex {
  private readonly indexes = new Map<IndexKey, MiniSearch<IndexedEntry>>();
  private readonly byId = new Map<string, FaqEntry>();

  constructor(entries: FaqEntry[], options: FaqIndexOptions = {}) {
    for (const entry of entries) this.byId.set(entry.id, entry);
    for (const key of INDEX_KEYS) {
      const locale = textLocale(key);
      const index = new MiniSearch<IndexedEntry>({
        fields: ['q', 'k', 'a'],
        tokenize,
        processTerm: termProcessor(key, !options.plain),
        searchOptions: {
          boost: { q: 3, k: 2, a: 1 },
          // One edit for middle-length words, two for long ones; short words must match exactly.
          fuzzy: (term) => (options.plain ? false : term.length >= 8 ? 0.25 : term.length >= 5 ? 0.2 : false),
          prefix: (term) => !options.plain && term.length >= 4,
          combineWith: 'OR',
        },
      });
      // An entry is searched only in the languages it is written in (see faq-entry.ts). Kazakh
      // questions often carry Russian words ("мүгедектік справка қайдан аламын"), so a Kazakh
      // text also takes the Russian search words of its entry (never shown).
      index.addAll(entries.flatMap((e) => {
        const text = e[locale];
        const borrowed = locale === 'kk' ? (e.ru?.k ?? '') : '';
        return text ? [{ id: e.id, q: text.q, k: `${text.k} ${borrowed}`.trim(), a: text.a }] : [];
      }));
      this.indexes.set(key, index);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  entry(id: string): FaqEntry | undefined {
    return this.byId.get(id);
  }

  entries(): FaqEntry[] {
    return [...this.byId.values()];
  }

  /** Every candidate, best first (for measuring). */
  rank(locale: IndexKey, question: string): FaqHit[] {
    const index = this.indexes.get(locale);
    if (!index) return [];
    return index.search(question).flatMap((r: SearchResult) => {
      const entry = this.byId.get(String(r.id));
      return entry ? [{ entry, score: r.score }] : [];
    });
  }

  /**
   * What to answer with: the best one to three entries that matched well enough, or none. The
   * person's language is searched first; when it finds nothing, the question is searched as
   * written in the other two (a Kazakh speaker asking in Russian, the bot set to English by
   * someone who writes Russian), then as Kazakh written in Latin letters. An entry found so is
   * answered with only when it has a text in the person's language, which is the one shown: a
   * text is never shown as if it were in another language.
   */
  answer(locale: Locale, question: string, limit = 3): FaqHit[] {
    // Text without a single Kazakh letter was typed without a Kazakh keyboard: its Kazakh words,
    // if any, are in the look-alike spelling.
    const kazakh: IndexKey = /[әғқңөұүһі]/i.test(question) ? 'kk' : 'kk-folded';
    const keyOf = (l: Locale): IndexKey => (l === 'kk' ? kazakh : l);
    const attempts: Array<[IndexKey, string]> = [locale, ...LOCALES.filter((l) => l !== locale)].map((l) => [keyOf(l), question]);
    const cyrillic = latinKazakhToCyrillic(question);
    if (cyrillic !== question) attempts.push(['kk-folded', cyrillic]);
    for (const [searched, text] of attempts) {
      const hits = this.best(searched, text, limit).filter((hit) => hit.entry[locale]);
      if (hits.length > 0) return hits;
    }
    return [];
  }

  private best(locale: IndexKey, question: string, limit: number): FaqHit[] {
    const ranked = this.rank(locale, question);
    const best = ranked[0];
    if (!best || best.score < MIN_SCORE) return [];
    return ranked.filter((hit) => hit.score >= best.score * RELATIVE).slice(0, limit);
  }
}
