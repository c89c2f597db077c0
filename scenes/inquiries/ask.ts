import { z } from 'zod';
import type { ChoiceOption } from '../../src/engine/types.js';
import { defineScene } from '../../src/engine/scene.js';
import { INQUIRY_TOPICS } from '../../src/features/inquiries/faq-entry.js';
import { isRegionKey, REGION_KEYS } from '../../src/domain/regions.js';
import { regionChoiceOptions, regionFromLocation, typedRegion } from '../common/regions.js';
import { openTopic } from '../../src/features/inquiries/relay.js';
import { iq } from '../../src/features/inquiries/callbacks.js';
import { isRelayable, type InlineButton, type RelayableMedia } from '../../src/telegram/types.js';

export const INQUIRY_ASK_SCENE = 'inquiry-ask';
const NO_REGION = 'none';

/** "My questions" under the confirmation and the limit message: status, answers, closing. */
const mineButton = (t: (key: string) => string): InlineButton[][] => [[{ text: t('inquiries:mine.button'), data: iq.mine() }]];

/** A message forwarded from someone else, and who wrote it first when Telegram says. */
export const forwardedMark = z.object({ from: z.string().max(300).optional() });

/**
 * A voice message (or other attachment) the person sent with no question open and chose to send
 * to a person: where it is in their chat, so it can be copied; it is the question.
 */
export const pendingAttachment = z.object({
  media: z.custom<RelayableMedia>(isRelayable),
  chatId: z.number().int(),
  messageId: z.number().int().positive(),
  caption: z.string().max(4096).optional(),
  /** Its file name holds an IIN or a card number: not copied into the staff group. */
  nameHidden: z.literal(true).optional(),
  /** Forwarded from someone else: the staff topic says so, and from whom. */
  forwarded: forwardedMark.optional(),
});
export type PendingAttachment = z.infer<typeof pendingAttachment>;

const topicOptions: ChoiceOption[] = INQUIRY_TOPICS.map((topic) => ({ value: topic, labelKey: `inquiries:topic.${topic}` }));

/**
 * "Ask a person": the topic, the question (seeded from the knowledge base look-up when there was
 * one) and the region when the bot does not know it yet. Completing opens the inquiry and its
 * forum topic for the operators.
 */
const answers = z.object({
  topic: z.enum(INQUIRY_TOPICS).optional(),
  question: z.string().optional(),
  /** A region key, or NO_REGION. */
  region: z.string().optional(),
  /** When the form was opened (ms): with the user id, the key that recognises a repeated submit. */
  startedAt: z.number().int(),
  // Seeds live under their own names: the engine drops answers of later steps when an
  // earlier one changes, and these must survive that.
  seedQuestion: z.string().optional(),
  seedTopic: z.enum(INQUIRY_TOPICS).optional(),
  knownRegion: z.enum(REGION_KEYS).optional(),
  attachment: pendingAttachment.optional(),
  /** The question was a forwarded message (typed at its step, or the one the knowledge base was asked). */
  questionForwarded: forwardedMark.optional(),
});

export const inquiryAskScene = defineScene(answers, {
  id: INQUIRY_ASK_SCENE,
  version: 1,
  namespace: 'inquiries',
  titleKey: 'inquiries:ask.title',
  inactivitySeconds: 60 * 60,
  async enter(ctx, seed) {
    const { inquiries } = ctx.deps.services;
    const open = (await inquiries.listForUser(ctx.meta.userId)).filter((i) => i.status !== 'closed');
    if (open.length >= ctx.deps.config.INQUIRY_MAX_OPEN) {
      return { refuse: [{ kind: 'text', text: ctx.t('inquiries:ask.limit', { count: open.length }), buttons: mineButton(ctx.t) }] };
    }
    const user = await ctx.deps.services.users.get(ctx.meta.userId);
    const question = seed.question && seed.question.trim().length >= 5 ? seed.question.trim() : undefined;
    const topic = seed.topic;
    return {
      answers: {
        startedAt: ctx.deps.now().getTime(),
        ...(question ? { seedQuestion: question } : {}),
        ...(topic ? { seedTopic: topic } : {}),
        ...(user?.region && isRegionKey(user.region) ? { knownRegion: user.region } : {}),
      },
    };
  },
  steps: [
    { id: 'topic', kind: 'choice', prompt: 'inquiries:ask.topic', options: topicOptions, when: (a) => a.seedTopic === undefined },
    {
      id: 'question',
      kind: 'text',
      prompt: 'inquiries:ask.question',
      // A question asked with a voice message needs no typed words.
      when: (a) => a.seedQuestion === undefined && a.attachment === undefined,
      // Telegram's own limit for one message: whatever fits in a message is taken whole.
      maxLength: 4096,
      schema: z.string().min(5, 'inquiries:ask.too-short').max(4096, 'errors:too-long'),
      // Someone else's words (a letter, a post) are marked so for the operators.
      check: (_question, _answers, ctx) => ({ ok: true, remember: { questionForwarded: ctx.meta.forwarded } }),
    },
    {
      id: 'region',
      kind: 'choice',
      prompt: 'inquiries:ask.region',
      columns: 1,
      when: (a) => a.knownRegion === undefined,
      options: (_a, ctx) => [{ value: NO_REGION, labelKey: 'inquiries:ask.no-region' }, ...regionChoiceOptions(ctx)],
      typed: typedRegion,
      located: regionFromLocation,
    },
  ],
  async complete(answers, ctx) {
    const topic = answers.topic ?? answers.seedTopic ?? 'other';
    const chosen = answers.region ?? answers.knownRegion;
    const region = chosen && chosen !== NO_REGION ? chosen : undefined;
    const attachment = answers.attachment;
    const question = answers.question ?? answers.seedQuestion ?? attachment?.caption ?? '';
    const forwarded = attachment ? attachment.forwarded : answers.questionForwarded;
    const result = await ctx.deps.services.inquiries.create({
      userId: ctx.meta.userId,
      chatId: ctx.meta.chatId,
      locale: ctx.locale,
      topic,
      region,
      text: question,
      ...(attachment ? { attachment: { media: attachment.media, chatId: attachment.chatId, messageId: attachment.messageId, ...(attachment.nameHidden ? { nameHidden: true as const } : {}) } } : {}),
      ...(forwarded ? { forwarded } : {}),
      submissionKey: `${ctx.meta.userId}.${answers.startedAt}`,
    });
    if (result.result === 'limit') return { replies: [{ kind: 'text', text: ctx.t('inquiries:ask.limit', { count: result.open }), buttons: mineButton(ctx.t) }] };
    const logId = ctx.session.data?.faqLog;
    if (typeof logId === 'string') await ctx.deps.services.faq.mark(logId, 'asked');
    if (result.result === 'created') await openTopic(ctx.deps, result.ref);
    return {
      replies: [{ kind: 'text', text: ctx.t('inquiries:ask.sent', { ref: result.ref }), buttons: mineButton(ctx.t) }],
      // The knowledge-base look-up that led here is done with; the inquiry is the one to follow.
      data: { faqLog: undefined, faqQuestion: undefined, faqForwarded: undefined, inquiry: result.ref },
    };
  },
});
