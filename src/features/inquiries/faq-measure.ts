import { performance } from 'node:perf_hooks';
import type { Locale } from '../../telegram/types.js';
import type { FaqIndex } from './faq-search.js';

export interface FaqMeasure {
  total: number;
  /** Share whose right entry ranks first. */
  first: number;
  top3: number;
  /** Share that got an answer at all (above the score floor). */
  answered: number;
  msPerQuestion: number;
  misses: Array<{ question: string; wanted: string; got: string[] }>;
}

/** Used by `npm run bench:faq` and by the test that holds the search to its thresholds. */
export function measureFaq(index: FaqIndex, locale: Locale, questions: Array<[string, string]>): FaqMeasure {
  let first = 0;
  let top3 = 0;
  let answered = 0;
  const misses: FaqMeasure['misses'] = [];
  const started = performance.now();
  for (const [question, wanted] of questions) {
    const ranked = index.rank(locale, question).slice(0, 3).map((h) => h.entry.id);
    if (ranked[0] === wanted) first += 1;
    if (ranked.includes(wanted)) top3 += 1;
    else misses.push({ question, wanted, got: ranked });
    if (index.answer(locale, question).length > 0) answered += 1;
  }
  const elapsed = performance.now() - started;
  const total = questions.length || 1;
  return { total: questions.length, first: first / total, top3: top3 / total, answered: answered / total, msPerQuestion: elapsed / total / 2, misses };
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean));

/**
 * How much of each test question is the wording of the entry it should find (shared words over
 * all words, 0–1): a set copied or paraphrased from the entries would score near 1 and say
 * little about real questions. Mean and highest over the set.
 */
export function wordOverlap(index: FaqIndex, locale: Locale, questions: Array<[string, string]>): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (const [question, wanted] of questions) {
    const entry = index.entry(wanted);
    if (!entry) continue;
    const asked = words(question);
    const written = words(entry[locale]?.q ?? '');
    const shared = [...asked].filter((w) => written.has(w)).length;
    const share = shared / (new Set([...asked, ...written]).size || 1);
    sum += share;
    max = Math.max(max, share);
  }
  return { mean: questions.length ? sum / questions.length : 0, max };
}
