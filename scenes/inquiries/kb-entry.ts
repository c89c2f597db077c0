import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import { allows } from '../../src/app/access.js';
import { isLocale, LOCALES } from '../../src/telegram/types.js';
import type { Inquiry } from '../../src/features/inquiries/inquiries.service.js';
import { KB_ANSWER, KB_QUESTION, kbAnswerText, kbEntryId, kbQuestionText, kbSuggestion } from '../../src/features/inquiries/kb-draft.js';

export const KB_ENTRY_SCENE = 'inquiry-kb-entry';

/**
 * A staff member turns an answered question into a knowledge base entry. Nothing is published
 * until they have read both texts and tapped Publish: the masking finds IINs and phone numbers,
 * but not names or other details only a person can see.
 */
const answers = z.object({
  /** The question's reference, from the seed. */
  ref: z.string().regex(/^Q-\d{4}-\d{6}$/),
  /** The question's language: the one language the entry is published in. */
  locale: z.enum(LOCALES),
  /** The masked texts offered at each step, made when the form opened. */
  suggestedQuestion: z.string().max(KB_QUESTION.max),
  suggestedAnswer: z.string().max(KB_ANSWER.max),
  question: kbQuestionText,
  answer: kbAnswerText,
});

const scopeOf = (inquiry: Pick<Inquiry, 'topic' | 'region'>) => ({ topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) });

export const kbEntryScene = defineScene(answers, {
  id: KB_ENTRY_SCENE,
  version: 1,
  namespace: 'inquiries',
  titleKey: 'inquiries:kb-entry.title',
  inactivitySeconds: 60 * 60,
  // Checked by the router before every input: a member who lost the operator role, or whose
  // topics or regions no longer cover this question, is taken out before anything is read.
  permission: 'inquiries.answer',
  async scope(answers, ctx) {
    const inquiry = answers.ref ? await ctx.deps.services.inquiries.get(answers.ref) : null;
    return inquiry ? scopeOf(inquiry) : undefined;
  },
  async enter(ctx, seed) {
    const ref = seed.ref ?? '';
    const { inquiries, faq, access } = ctx.deps.services;
    const inquiry = ref ? await inquiries.get(ref) : null;
    if (!inquiry || !allows(await ctx.access(), 'inquiries.answer', scopeOf(inquiry))) {
      await access.recordDenied(ctx.meta.userId, 'inquiries.answer', `inquiry:${ref}`, { button: 'faq' });
      return { refuse: [{ kind: 'text', text: ctx.t('inquiries:staff.not-in-scope', { ref }) }] };
    }
    if (await faq.has(kbEntryId(ref))) return { refuse: [{ kind: 'text', text: ctx.t('inquiries:kb-entry.exists', { ref, id: kbEntryId(ref) }) }] };
    const suggestion = kbSuggestion(inquiries, inquiry);
    if (!suggestion) return { refuse: [{ kind: 'text', text: ctx.t('inquiries:kb-entry.needs-texts') }] };
    const locale = isLocale(inquiry.locale) ? inquiry.locale : ctx.deps.config.DEFAULT_LOCALE;
    return { answers: { ref, locale, suggestedQuestion: suggestion.question, suggestedAnswer: suggestion.answer } };
  },
  steps: [
    {
      id: 'question',
      kind: 'text',
      prompt: 'inquiries:kb-entry.question.prompt',
      summaryKey: 'inquiries:kb-entry.question.summary',
      promptParams: (a, ctx) => ({ ref: a.ref, language: ctx.t(`inquiries:language.${a.locale ?? ctx.locale}`) }),
      // Changed from the summary, the text offered is the one written so far.
      suggest: (a) => a.question ?? a.suggestedQuestion,
      schema: kbQuestionText,
    },
    {
      id: 'answer',
      kind: 'text',
      prompt: 'inquiries:kb-entry.answer.prompt',
      summaryKey: 'inquiries:kb-entry.answer.summary',
      suggest: (a) => a.answer ?? a.suggestedAnswer,
      schema: kbAnswerText,
    },
    {
      id: 'confirm',
      kind: 'confirm',
      prompt: 'inquiries:kb-entry.confirm.prompt',
      promptParams: (a, ctx) => ({ language: ctx.t(`inquiries:language.${a.locale ?? ctx.locale}`) }),
      submitKey: 'inquiries:kb-entry.publish',
      changeButtons: [
        { step: 'question', labelKey: 'inquiries:kb-entry.change-question' },
        { step: 'answer', labelKey: 'inquiries:kb-entry.change-answer' },
      ],
    },
  ],
  async complete(a, ctx) {
    const { inquiries, faq, access, audit } = ctx.deps.services;
    const inquiry = await inquiries.get(a.ref);
    // The person deleted their data while the form was open: their words are not published either.
    if (!inquiry) return { replies: [{ kind: 'text', text: ctx.t('inquiries:kb-entry.gone', { ref: a.ref }) }] };
    // Access is read again at the moment of publishing: it may have been taken away meanwhile.
    if (!allows(await ctx.access(), 'inquiries.answer', scopeOf(inquiry))) {
      await access.recordDenied(ctx.meta.userId, 'inquiries.answer', `inquiry:${a.ref}`, { button: 'kb-publish' });
      return { replies: [{ kind: 'text', text: ctx.t('inquiries:staff.not-in-scope', { ref: a.ref }) }] };
    }
    const id = kbEntryId(a.ref);
    const published = await faq.publishReviewed({ id, topic: inquiry.topic, locale: a.locale, q: a.question, a: a.answer });
    if (published === 'exists') return { replies: [{ kind: 'text', text: ctx.t('inquiries:kb-entry.exists', { ref: a.ref, id }) }] };
    // Erased between the look above and the insert: taken back. Erased after this look, it was
    // published before the erasure, as any entry made while the question was there.
    if (!(await inquiries.get(a.ref))) {
      await faq.remove(id);
      return { replies: [{ kind: 'text', text: ctx.t('inquiries:kb-entry.gone', { ref: a.ref }) }] };
    }
    // Once per question (its entry is never replaced): Publish run again by the mailbox after a
    // failure past this line (the process killed before the chat moved on) writes no second one.
    await audit.recordOnce(`faq.entry-from-inquiry:${a.ref}`, ctx.meta.userId, 'faq.entry-from-inquiry', `inquiry:${a.ref}`, { id, locale: a.locale });
    return { replies: [{ kind: 'text', text: ctx.t('inquiries:kb-entry.published', { id, language: ctx.t(`inquiries:language.${a.locale}`) }) }] };
  },
});
