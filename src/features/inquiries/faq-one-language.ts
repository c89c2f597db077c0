import type { Connection } from 'mongoose';
import { LOCALES, isLocale, type Locale } from '../../telegram/types.js';
import { runUntilSettled } from '../../db/models/start-up-pass.js';
import { faqEntryDocModel, inquiryModel } from './inquiry.model.js';

/** Entries made from a question are named after it: `Q-2026-000123` → `q-2026-000123`. */
const FROM_QUESTION = /^q-\d{4}-\d{6}$/;

type Text = { q?: string; k?: string; a?: string } | undefined;
const same = (a: Text, b: Text) => a?.q === b?.q && a?.k === b?.k && a?.a === b?.a;

/** Letters only Kazakh uses tell it from Russian; any Cyrillic else is Russian; the rest English. */
function languageOfText(text: string): Locale {
  if (/[әғқңөұүһі]/i.test(text)) return 'kk';
  return /[а-яё]/i.test(text) ? 'ru' : 'en';
}

/**
 * Start-up: an older version made an entry from a question by copying its one text into all
 * three languages, so a Russian text was found and shown as if it were Kazakh or English. Such
 * an entry (the three texts still the same: staff have not translated it) keeps only the
 * question's language (read from the question, or from the text's letters when the person has
 * deleted the question since). Returns how many entries changed; none once done. An entry done
 * is not one to do any more, so a start stopped part-way leaves the next only the rest; once
 * settled (start-up-pass.ts: the older version, still serving during the deploy, may make such
 * an entry meanwhile), a start reads nothing but its mark.
 */
export async function keepQuestionLanguageOnly(connection: Connection): Promise<number> {
  return runUntilSettled(connection, 'faq-question-language-only', () => keepLanguageOfEach(connection));
}

async function keepLanguageOfEach(connection: Connection): Promise<number> {
  const entries = faqEntryDocModel(connection);
  const inquiries = inquiryModel(connection);
  let changed = 0;
  const docs = await entries.find({ id: FROM_QUESTION }, { id: 1, kk: 1, ru: 1, en: 1 }).lean<Array<{ id: string } & Record<Locale, Text>>>();
  for (const doc of docs) {
    if (!doc.kk?.q || !same(doc.kk, doc.ru) || !same(doc.kk, doc.en)) continue;
    const asked = await inquiries.findOne({ ref: doc.id.toUpperCase() }, { locale: 1 }).lean<{ locale?: string }>();
    const locale = asked?.locale && isLocale(asked.locale) ? asked.locale : languageOfText(`${doc.kk.q} ${doc.kk.a ?? ''}`);
    const drop = Object.fromEntries(LOCALES.filter((l) => l !== locale).map((l) => [l, 1]));
    changed += (await entries.updateOne({ id: doc.id }, { $unset: drop })).modifiedCount;
  }
  return changed;
}
