import { z } from 'zod';
import { maskDigits, maskPersonalNumbers } from './faq.service.js';
import { hasIinLike, hasMobileNumber } from '../../domain/personal-numbers.js';
import type { InquiriesService, Inquiry } from './inquiries.service.js';

/** Limits of an entry's texts (faq-entry.ts): what the staff form accepts and what it suggests. */
export const KB_QUESTION = { min: 3, max: 200 } as const;
export const KB_ANSWER = { min: 10, max: 1200 } as const;

/** The entry made from a question is keyed by the question: `Q-2026-000123` → `q-2026-000123`. */
export const kbEntryId = (ref: string): string => ref.toLowerCase();

/**
 * A text of an entry as staff may publish it: within the limits, and without anything shaped
 * like an IIN or a mobile number (names cannot be found this way: a person reviews every text).
 * Issue messages are i18n keys, so the form says what is wrong in the member's language.
 */
const entryText = (field: 'question' | 'answer', limits: { min: number; max: number }) =>
  z
    .string()
    .trim()
    .min(limits.min, `inquiries:kb-entry.${field}-too-short`)
    .max(limits.max, `inquiries:kb-entry.${field}-too-long`)
    .refine((text) => !hasIinLike(text), 'inquiries:kb-entry.has-iin')
    .refine((text) => !hasMobileNumber(text), 'inquiries:kb-entry.has-phone');

export const kbQuestionText = entryText('question', KB_QUESTION);
export const kbAnswerText = entryText('answer', KB_ANSWER);

/**
 * What the form offers to start from: the citizen's first question with every long digit run
 * masked, and the operator's last written answer with the person's own numbers (and anything
 * shaped like an IIN) masked, a hotline it gives kept. Null when either text is missing.
 */
export function kbSuggestion(inquiries: InquiriesService, inquiry: Inquiry): { question: string; answer: string } | null {
  const messages = inquiries.messages(inquiry);
  const question = messages.find((m) => m.from === 'citizen' && m.text)?.text;
  const answer = [...messages].reverse().find((m) => m.from === 'operator' && m.text && !m.withheld)?.text;
  if (!question || !answer) return null;
  const citizenTexts = messages.flatMap((m) => (m.from === 'citizen' && m.text ? [m.text] : []));
  return {
    question: maskDigits(question).trim().slice(0, KB_QUESTION.max),
    answer: maskPersonalNumbers(answer, citizenTexts).trim().slice(0, KB_ANSWER.max),
  };
}
