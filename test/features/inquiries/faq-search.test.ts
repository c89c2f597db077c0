import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaqIndex } from '../../../src/features/inquiries/faq-search.js';
import { loadSampleFaq } from '../../../src/features/inquiries/faq-file.js';
import { measureFaq, wordOverlap } from '../../../src/features/inquiries/faq-measure.js';
import { stemKazakh } from '../../../src/domain/kk-stemmer.js';
import { LOCALES } from '../../../src/telegram/types.js';

const questions = JSON.parse(readFileSync(new URL('./faq-questions.json', import.meta.url), 'utf8')) as Record<string, Array<[string, string]>>;
const index = new FaqIndex(loadSampleFaq());

describe('knowledge base search', () => {
  it.each(LOCALES)('%s: at least 60 independent questions, right entry first at least 85 percent, top-3 at least 95 percent', (locale) => {
    const set = questions[locale]!;
    expect(set.length).toBeGreaterThanOrEqual(60);
    for (const [, id] of set) expect(index.entry(id), id).toBeDefined();
    const m = measureFaq(index, locale, set);
    expect(m.first).toBeGreaterThanOrEqual(0.85);
    expect(m.top3).toBeGreaterThanOrEqual(0.95);
  });

  it('the sample file: every entry marked as a sample, in three languages, about the three services and around them', () => {
    const entries = index.entries();
    expect(entries.every((e) => e.sample)).toBe(true);
    for (const e of entries) for (const locale of LOCALES) expect(e[locale]?.a.length ?? 0, `${e.id} ${locale}`).toBeGreaterThan(20);
    expect(new Set(entries.map((e) => e.topic))).toEqual(new Set(['rehab', 'volunteering', 'grants', 'other']));
    // Disability assessment and certificates, day-care and home rehabilitation, adaptive and
    // Paralympic sport, volunteering ages and consent, grant and microloan documents.
    for (const id of ['mse-assessment', 'disability-certificate', 'rehab-daycare', 'rehab-home', 'adaptive-sport', 'paralympic', 'volunteer-age', 'grant-documents', 'microloan']) {
      expect(index.entry(id), id).toBeDefined();
    }
  });

  it('the question set is not copied from the entries', () => {
    const titles = new Set(index.entries().flatMap((e) => LOCALES.map((l) => e[l]?.q.toLowerCase() ?? '')));
    for (const locale of LOCALES) for (const [q] of questions[locale]!) expect(titles.has(q.toLowerCase())).toBe(false);
    // Nor close paraphrases: on average under a third of the words are the entry's own.
    for (const locale of LOCALES) {
      const overlap = wordOverlap(index, locale, questions[locale]!);
      expect(overlap.mean, locale).toBeLessThan(0.3);
      expect(overlap.max, locale).toBeLessThan(0.8);
    }
  });

  it('word endings meet: справку / справка / справки, мүгедектік / мүгедектігі', () => {
    const ids = (locale: 'ru' | 'kk', q: string) => index.answer(locale, q).map((h) => h.entry.id)[0];
    expect(ids('ru', 'справку об инвалидности')).toBe('disability-certificate');
    expect(ids('ru', 'справка об инвалидности')).toBe('disability-certificate');
    expect(ids('ru', 'справки об инвалидности')).toBe('disability-certificate');
    expect(stemKazakh('мүгедектігі')).toBe(stemKazakh('мүгедектік'));
    expect(stemKazakh('балаларға')).toBe(stemKazakh('бала'));
  });

  it('small talk and unrelated questions find nothing, so a person is offered instead of a wrong answer', () => {
    for (const [locale, q] of [['en', 'hello there'], ['ru', 'привет'], ['kk', 'сәлем'], ['en', 'what is the weather'], ['ru', 'купить машину']] as const) {
      expect(index.answer(locale, q)).toEqual([]);
    }
  });

  it('answers with one to three entries, best first', () => {
    const hits = index.answer('en', 'wheelchair');
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]!.entry.id).toBe('ipr-aids');
  });
});
