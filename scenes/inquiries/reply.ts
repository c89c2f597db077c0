import { z } from 'zod';
import { defineScene } from '../../src/engine/scene.js';
import { allows } from '../../src/app/access.js';
import { relayToCitizen } from '../../src/features/inquiries/relay.js';

export const INQUIRY_REPLY_SCENE = 'inquiry-reply';

/** An operator answers from the bot's Staff menu (when there is no staff group, or from a phone). */
const answers = z.object({
  /** The inquiry's reference, from the seed. */
  ref: z.string(),
  answer: z.string(),
});

export const inquiryReplyScene = defineScene(answers, {
  id: INQUIRY_REPLY_SCENE,
  version: 1,
  namespace: 'inquiries',
  titleKey: 'inquiries:reply.title',
  inactivitySeconds: 60 * 60,
  // Checked by the router before every input: an operator who lost access, or whose topics or
  // regions no longer cover this question, is taken out before the answer is read (and audited).
  permission: 'inquiries.answer',
  async scope(answers, ctx) {
    const inquiry = answers.ref ? await ctx.deps.services.inquiries.get(answers.ref) : null;
    return inquiry ? { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) } : undefined;
  },
  async enter(ctx, seed) {
    const ref = seed.ref ?? '';
    const inquiry = await ctx.deps.services.inquiries.get(ref);
    if (!inquiry || inquiry.status === 'closed') return { refuse: [{ kind: 'text', text: ctx.t('inquiries:staff.already-closed', { ref }) }] };
    const scope = { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) };
    if (!allows(await ctx.access(), 'inquiries.answer', scope)) {
      await ctx.deps.services.access.recordDenied(ctx.meta.userId, 'inquiries.answer', `inquiry:${ref}`, { button: 'reply' });
      return { refuse: [{ kind: 'text', text: ctx.t('inquiries:staff.not-in-scope', { ref }) }] };
    }
    return { answers: { ref } };
  },
  steps: [
    {
      id: 'answer',
      kind: 'text',
      prompt: 'inquiries:reply.prompt',
      promptParams: (a) => ({ ref: a.ref }),
      maxLength: 3500,
      schema: z.string().min(2, 'inquiries:reply.too-short').max(3500, 'inquiries:reply.too-long'),
    },
  ],
  async complete(answers, ctx) {
    const { ref } = answers;
    const inquiry = await ctx.deps.services.inquiries.get(ref);
    // Access is read again at the moment of sending: it may have been taken away meanwhile.
    const scope = inquiry ? { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) } : {};
    if (!inquiry || !allows(await ctx.access(), 'inquiries.answer', scope)) {
      return { replies: [{ kind: 'text', text: ctx.t('inquiries:staff.not-in-scope', { ref }) }] };
    }
    const sent = await relayToCitizen(ctx.deps, inquiry, ctx.meta.userId, {
      text: answers.answer,
      chatId: ctx.meta.chatId,
      messageId: ctx.meta.messageId ?? ctx.meta.updateId,
    });
    return { replies: [{ kind: 'text', text: ctx.t(sent ? 'inquiries:reply.sent' : 'inquiries:staff.already-closed', { ref }) }] };
  },
});
