import { LOCALES, type Locale } from '../../telegram/types.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import { isDuplicateKey } from '../../db/models/counter.js';
import { faqEntrySchema, type FaqEntry, type InquiryTopic } from './faq-entry.js';
import { loadSampleFaq } from './faq-file.js';
import { folded } from '../../domain/personal-numbers.js';
import { FaqIndex, type FaqHit } from './faq-search.js';
import { faqEntryDocModel, faqLogModel, type FaqEntryDocModel, type FaqLogModel } from './inquiry.model.js';

/** Rebuilt at most this often, so entries imported by another process show up without a restart. */
const INDEX_TTL_MS = 60_000;

/**
 * Unanswered look-ups are shown to staff, so anything that could be a phone number or an IIN is
 * masked: seven or more digits in a run, whatever stands between them (dots, slashes, spaces,
 * invisible characters), also written with full-width digits (NFKC folds those to ASCII).
 */
const DIGIT_RUN = /\+?\d(?:[^\p{L}\d\n]{0,3}\d){6,}/gu;

/**
 * The index last built in this process, by the entries it was built from: a rebuild every
 * INDEX_TTL_MS with no entry changed (nearly always) reuses it instead of spending 70-140 ms of
 * CPU on the same index again. An index is never changed after it is built.
 */
let lastBuilt: { entries: string; index: FaqIndex } | undefined;

function indexOf(entries: FaqEntry[]): FaqIndex {
  const key = JSON.stringify(entries);
  if (lastBuilt?.entries !== key) lastBuilt = { entries: key, index: new FaqIndex(entries) };
  return lastBuilt.index;
}

export const maskDigits = (text: string): string => folded(text).replace(DIGIT_RUN, '•••');

/**
 * An operator's answer keeps the numbers it gives (a hotline, an office), but not the person's
 * own: a run of digits the person wrote in their question, or one shaped like an IIN (12 digits).
 */
export function maskPersonalNumbers(answer: string, personWrote: string[]): string {
  const digitsOf = (run: string) => run.replace(/\D/g, '');
  const theirs = new Set(personWrote.flatMap((text) => (folded(text).match(DIGIT_RUN) ?? []).map(digitsOf)));
  return folded(answer).replace(DIGIT_RUN, (run) => (theirs.has(digitsOf(run)) || digitsOf(run).length === 12 ? '•••' : run));
}

/** A language left as an empty object by an older write is no text at all. */
function withoutEmptyLanguages(doc: Record<string, unknown>): Record<string, unknown> {
  const empty = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 0;
  return Object.fromEntries(Object.entries(doc).filter(([key, value]) => !((LOCALES as readonly string[]).includes(key) && empty(value))));
}

export interface ImportReport {
  added: number;
  updated: number;
  rejected: Array<{ row: number; id?: string; problem: string }>;
}

/** The knowledge base: entries in MongoDB, an in-memory search index, and a log of look-ups. */
export class FaqService {
  private readonly entriesModel: FaqEntryDocModel;
  private readonly log: FaqLogModel;
  private cached?: { index: FaqIndex; at: number };
  private building?: Promise<FaqIndex>;

  constructor(private readonly deps: Pick<ServiceDeps, 'connection' | 'now'>) {
    this.entriesModel = faqEntryDocModel(deps.connection);
    this.log = faqLogModel(deps.connection);
  }

  /** Loads the sample entries into an empty knowledge base (once; the unique id settles races). */
  async seedIfEmpty(): Promise<number> {
    await this.entriesModel.init();
    if ((await this.entriesModel.estimatedDocumentCount()) > 0) return 0;
    let added = 0;
    for (const entry of loadSampleFaq()) {
      try {
        await this.entriesModel.create({ ...entry, updatedAt: this.deps.now() });
        added += 1;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    this.cached = undefined;
    return added;
  }

  async all(): Promise<FaqEntry[]> {
    const docs = await this.entriesModel.find({}, { _id: 0, updatedAt: 0 }).sort({ id: 1 }).lean<Record<string, unknown>[]>();
    return docs.flatMap((doc) => {
      const parsed = faqEntrySchema.safeParse(withoutEmptyLanguages(doc));
      return parsed.success ? [parsed.data] : [];
    });
  }

  async index(): Promise<FaqIndex> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < INDEX_TTL_MS) return this.cached.index;
    this.building ??= (async () => {
      await this.seedIfEmpty();
      const index = indexOf(await this.all());
      this.cached = { index, at: Date.now() };
      return index;
    })().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  /** Searches and logs the look-up; returns the log id (for "This helped" / "Ask a person"). */
  async ask(locale: Locale, question: string): Promise<{ hits: FaqHit[]; logId: string }> {
    const hits = (await this.index()).answer(locale, question);
    const doc = await this.log.create({
      at: this.deps.now(),
      locale,
      entryIds: hits.map((h) => h.entry.id),
      ...(hits.length === 0 ? { missText: maskDigits(question).slice(0, 300) } : {}),
    });
    return { hits, logId: String(doc._id) };
  }

  /**
   * Records what came of a look-up; false when it changed nothing. A look-up counts once: a
   * second "This helped" changes nothing, nor does one tapped after the question went to a
   * person (the knowledge base did not settle it), and going to a person after "This helped"
   * takes that back, so the figures never count one look-up on both sides.
   */
  async mark(logId: string, field: 'helped' | 'asked'): Promise<boolean> {
    if (!/^[0-9a-f]{24}$/.test(logId)) return false;
    const result =
      field === 'helped'
        ? await this.log.updateOne({ _id: logId, helped: { $ne: true }, asked: { $ne: true } }, { $set: { helped: true } })
        : await this.log.updateOne({ _id: logId, asked: { $ne: true } }, { $set: { asked: true, helped: false } });
    return result.modifiedCount > 0;
  }

  /** Adds or replaces entries by id; every row is checked and reported. */
  async importEntries(rows: unknown[]): Promise<ImportReport> {
    const report: ImportReport = { added: 0, updated: 0, rejected: [] };
    for (const [i, row] of rows.entries()) {
      const parsed = faqEntrySchema.safeParse(row);
      if (!parsed.success) {
        const id = typeof row === 'object' && row && 'id' in row ? String((row).id) : undefined;
        const issue = parsed.error.issues[0];
        report.rejected.push({ row: i + 1, id, problem: `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}` });
        continue;
      }
      const result = await this.entriesModel.updateOne(
        { id: parsed.data.id },
        { $set: { ...parsed.data, updatedAt: this.deps.now() } },
        { upsert: true },
      );
      if (result.upsertedCount > 0) report.added += 1;
      else report.updated += 1;
    }
    this.cached = undefined;
    return report;
  }

  /**
   * Publishes an entry a staff member wrote from a citizen's question, in that question's
   * language only. An insert, never an update: the id comes from the question, so a second tap
   * or the mailbox running the same update again finds the entry there and changes nothing.
   * 'published' also when the entry there holds these very texts (the same publish, run again).
   */
  async publishReviewed(entry: { id: string; topic: InquiryTopic; locale: Locale; q: string; a: string }): Promise<'published' | 'exists'> {
    const parsed = faqEntrySchema.parse({ id: entry.id, topic: entry.topic, sample: false, [entry.locale]: { q: entry.q, a: entry.a } });
    // Loads the samples into an empty collection first, as the first look-up would; and the
    // unique index on id must exist before the insert relies on it.
    await this.seedIfEmpty();
    try {
      await this.entriesModel.create({ ...parsed, updatedAt: this.deps.now() });
      return 'published';
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const there = (await this.all()).find((e) => e.id === entry.id)?.[entry.locale];
      return there?.q === parsed[entry.locale]?.q && there?.a === parsed[entry.locale]?.a ? 'published' : 'exists';
    } finally {
      this.cached = undefined;
    }
  }

  /** Whether a look-up found entries (so the person was asked whether the answer helped). */
  async found(logId: string): Promise<boolean> {
    if (!/^[0-9a-f]{24}$/.test(logId)) return false;
    const log = await this.log.findById(logId, { entryIds: 1 }).lean();
    return (log?.entryIds?.length ?? 0) > 0;
  }

  async has(id: string): Promise<boolean> {
    return (await this.entriesModel.countDocuments({ id })) > 0;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.entriesModel.deleteOne({ id });
    this.cached = undefined;
    return result.deletedCount > 0;
  }

  logModel(): FaqLogModel {
    return this.log;
  }
}
