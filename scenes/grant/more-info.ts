import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';

export const GRANT_MORE_INFO_SCENE = 'grant-more-info';

const answers = z.object({
  /** The application's reference, from the seed. */
  ref: z.string().min(1),
  /** What the staff asked, shown with the question. */
  question: z.string(),
  answer: z.string(),
});

/** Letters or digits: five emoji are no answer a reviewer can read, and the review would resume on them. */
const WORD_CHARS = /[\p{L}\p{N}]/gu;
const answerSchema = z
  .string()
  .min(5, 'grant:more-info.too-short')
  .max(1500, 'grant:more-info.too-long')
  .refine((s) => (s.match(WORD_CHARS)?.length ?? 0) >= 2, 'grant:more-info.words');

/** The applicant answers staff's "more information needed" in the chat; review then resumes. */
export const grantMoreInfoScene = defineScene(answers, {
  id: GRANT_MORE_INFO_SCENE,
  version: 1,
  namespace: 'grant',
  titleKey: 'grant:more-info.title',
  inactivitySeconds: 60 * 60,
  async enter(ctx, seed) {
    const ref = seed.ref ?? '';
    const record = ref ? await ctx.deps.services.grants.getForUser(ctx.meta.userId, ref) : null;
    if (!record || record.status !== 'more-info') {
      return { refuse: [{ kind: 'text', text: ctx.t('grant:more-info.not-waiting', { ref }) }] };
    }
    const question = [...record.history].reverse().find((entry) => entry.status === 'more-info')?.comment ?? '';
    return { answers: { ref, question } };
  },
  steps: [
    {
      id: 'answer',
      kind: 'text',
      prompt: 'grant:more-info.prompt',
      promptParams: (answers) => ({ ref: answers.ref, question: answers.question }),
      schema: answerSchema,
    },
  ],
  async complete(answers, ctx) {
    const { ref } = answers;
    const result = await ctx.deps.services.grants.answerMoreInfo(ctx.meta.userId, ref, answers.answer);
    return { replies: [{ kind: 'text', text: ctx.t(result === 'ok' ? 'grant:more-info.sent' : 'grant:more-info.not-waiting', { ref }) }] };
  },
});
