import { z } from 'zod';
import type { ChoiceOption, SceneDef } from '../../src/engine/types.js';
import { INQUIRY_TOPICS, isInquiryTopic } from '../../src/features/inquiries/faq-entry.js';
import { isRegionKey } from '../../src/domain/regions.js';
import { regionChoiceOptions } from '../shared/regions.js';
import { openTopic } from '../../src/features/inquiries/relay.js';

export const INQUIRY_ASK_SCENE = 'inquiry-ask';
const NO_REGION = 'none';

const topicOptions: ChoiceOption[] = INQUIRY_TOPICS.map((topic) => ({ value: topic, labelKey: `inquiries:topic.${topic}` }));

/**
 * "Ask a person": the topic, the question (seeded from the knowledge base look-up when there was
 * one) and the region when the bot does not know it yet. Completing opens the inquiry and its
 * forum topic for the operators.
 */
export const inquiryAskScene: SceneDef = {
  id: INQUIRY_ASK_SCENE,
  version: 1,
  namespace: 'inquiries',
  titleKey: 'inquiries:ask.title',
  inactivitySeconds: 60 * 60,
  async enter(ctx, seed) {
    const { inquiries } = ctx.deps.services;
    const open = (await inquiries.listForUser(ctx.meta.userId)).filter((i) => i.status !== 'closed');
    if (open.length >= ctx.deps.config.INQUIRY_MAX_OPEN) {
      return { refuse: [{ kind: 'text', text: ctx.t('inquiries:ask.limit', { count: open.length }) }] };
    }
    const user = await ctx.deps.services.users.get(ctx.meta.userId);
    const question = typeof seed.question === 'string' && seed.question.trim().length >= 5 ? seed.question.trim().slice(0, 2000) : undefined;
    const topic = isInquiryTopic(seed.topic) ? seed.topic : undefined;
    return {
      answers: {
        startedAt: ctx.deps.now().getTime(),
        // Seeds live under their own names: the engine drops answers of later steps when an
        // earlier one changes, and these must survive that.
        ...(question ? { seedQuestion: question } : {}),
        ...(topic ? { seedTopic: topic } : {}),
        ...(user?.region && isRegionKey(user.region) ? { knownRegion: user.region } : {}),
      },
    };
  },
  steps: [
    { id: 'topic', kind: 'choice', prompt: 'inquiries:ask.topic', options: topicOptions, when: (a) => !isInquiryTopic(a.seedTopic) },
    {
      id: 'question',
      kind: 'text',
      prompt: 'inquiries:ask.question',
      when: (a) => typeof a.seedQuestion !== 'string',
      schema: z.string().min(5, 'inquiries:ask.too-short').max(2000, 'inquiries:ask.too-long'),
    },
    {
      id: 'region',
      kind: 'choice',
      prompt: 'inquiries:ask.region',
      columns: 1,
      when: (a) => typeof a.knownRegion !== 'string',
      options: (_a, ctx) => [{ value: NO_REGION, labelKey: 'inquiries:ask.no-region' }, ...regionChoiceOptions(ctx)],
    },
  ],
  async complete(answers, ctx) {
    const topic = isInquiryTopic(answers.topic) ? answers.topic : isInquiryTopic(answers.seedTopic) ? answers.seedTopic : 'other';
    const chosen = typeof answers.region === 'string' ? answers.region : typeof answers.knownRegion === 'string' ? answers.knownRegion : undefined;
    const region = chosen && chosen !== NO_REGION ? chosen : undefined;
    const question = typeof answers.question === 'string' ? answers.question : String(answers.seedQuestion ?? '');
    const result = await ctx.deps.services.inquiries.create({
      userId: ctx.meta.userId,
      chatId: ctx.meta.chatId,
      locale: ctx.locale,
      topic,
      region,
      text: question,
      submissionKey: `${ctx.meta.userId}.${String(answers.startedAt)}`,
    });
    if (result.result === 'limit') return { replies: [{ kind: 'text', text: ctx.t('inquiries:ask.limit', { count: result.open }) }] };
    const logId = ctx.session.data?.faqLog;
    if (typeof logId === 'string') await ctx.deps.services.faq.mark(logId, 'asked');
    const { faqLog: _log, faqQuestion: _q, ...data } = ctx.session.data ?? {};
    ctx.session.data = { ...data, inquiry: result.ref };
    if (result.result === 'created') await openTopic(ctx.deps, result.ref);
    return { replies: [{ kind: 'text', text: ctx.t('inquiries:ask.sent', { ref: result.ref }) }] };
  },
};
