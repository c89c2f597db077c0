import { z } from 'zod';
import { LOCALES, type Locale } from '../../telegram/types.js';

/** Inquiry topics: what an operator's scope is cut by, and what a knowledge base entry is about. */
export const INQUIRY_TOPICS = ['rehab', 'volunteering', 'grants', 'other'] as const;
export type InquiryTopic = (typeof INQUIRY_TOPICS)[number];
export const isInquiryTopic = (value: unknown): value is InquiryTopic =>
  typeof value === 'string' && (INQUIRY_TOPICS as readonly string[]).includes(value);

const text = z.object({
  /** The question as staff would phrase it (shown as the entry's title). */
  q: z.string().trim().min(3).max(200),
  /** Other words people use for it (synonyms, abbreviations), searched but never shown. */
  k: z.string().trim().max(600).default(''),
  /** The answer: short, plain words. */
  a: z.string().trim().min(10).max(1200),
});

/**
 * One knowledge base entry; ids are kebab-case and stable. Imported entries come in all three
 * languages; one made from a citizen's question holds only that question's language until staff
 * add the others through the file (faq:export, faq:import). An entry is found only in the
 * languages it holds: a text is never shown as if it were in another language.
 */
export const faqEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'must be lowercase letters, digits and -'),
    topic: z.enum(INQUIRY_TOPICS),
    /** Written as an example; shown marked as such until staff confirm it. */
    sample: z.boolean().default(false),
    /** A scene the answer offers as a button (e.g. the centre search). */
    scene: z.string().regex(/^[a-z0-9-]+$/).optional(),
    url: z.url().optional(),
    kk: text.optional(),
    ru: text.optional(),
    en: text.optional(),
  })
  .refine((entry) => LOCALES.some((locale) => entry[locale]), { message: 'needs a text in at least one language (kk, ru or en)', path: ['kk'] });

export type FaqEntry = z.output<typeof faqEntrySchema>;
export type FaqText = NonNullable<FaqEntry[Locale]>;

export const faqFileSchema = z.object({ note: z.string().optional(), entries: z.array(faqEntrySchema) });

export { LOCALES };
