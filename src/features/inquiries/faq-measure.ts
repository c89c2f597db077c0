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
