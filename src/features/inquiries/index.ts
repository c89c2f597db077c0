import { z } from 'zod';
import type { Feature, HandlerContext, PersonalDataSection } from '../../app/types.js';
import type { SceneContext } from '../../engine/context.js';
import { INQUIRY_TOPICS } from './faq-entry.js';
import { isRelayable, LISTENED_MEDIA, LOCALES, RELAYABLE_MEDIA, type Input, type RelayableMedia, type Reply } from '../../telegram/types.js';
import { allows } from '../../app/access.js';
import { matchTyped, type ShownOption } from '../../engine/options.js';
import { isNumberAlone, latinSkeleton, normalizeForMatch } from '../../domain/text.js';
import { INQUIRY_ASK_SCENE, inquiryAskScene, pendingAttachment, type PendingAttachment } from '../../../scenes/inquiries/ask.js';
import { INQUIRY_REPLY_SCENE, inquiryReplyScene } from '../../../scenes/inquiries/reply.js';
import { KB_ENTRY_SCENE, kbEntryScene } from '../../../scenes/inquiries/kb-entry.js';
import { IQ, iq, parseIq } from './callbacks.js';
import { countStep } from './funnel.js';
import { figuresPeriodPrompt, figuresReplies } from './figures.js';
import { INQUIRY_REF, type Inquiry, type MessageIn } from './inquiries.service.js';
import { closeInquiry, finishInterruptedCloses, relayJobIdsOf, tellWithheldClose } from './relay.js';
import { mirrorCitizen, retryTopicMirrors } from './topic-mirror.js';
import { deleteErasedTopics, recordErasedTopics } from './erased-topics.js';
import { keepQuestionLanguageOnly } from './faq-one-language.js';
import { currentOf, lookupOf, withCurrentLookup, withoutLookup } from './faq-lookups.js';
import { replyToAnswer } from './faq-reply-words.js';
import { onRelayOutcome, onRelayWithheld } from './relay-outcome.js';
import { handleStaffChat } from './staff-chat.js';
import { fileNameMark } from './citizen-line.js';
import { moveToCurrentGroup } from './staff-group-move.js';
import { recordTopicGroups } from './topic-group-backfill.js';
import { conversationLine, faqAnswer, inquiryForStaff, myQuestions, queueReply, sceneLabelKey, STAFF_VIEW_MESSAGES } from './texts.js';

/** Scenes a knowledge base answer may open (never a staff scene). */
const OPENABLE = new Set(['rehab-search', 'volunteer-signup', 'grant-eligibility', 'grant-application', 'grant-hub', 'my-data', INQUIRY_ASK_SCENE]);

/**
 * The open inquiry a follow-up joins: the one the session remembers while it is open, else the
 * person's latest one still open (the remembered one was closed while an earlier one waits, or
 * the session was lost). The record decides.
 */
async function openInquiry(ctx: HandlerContext): Promise<Inquiry | null> {
  const { inquiries } = ctx.deps.services;
  const ref = ctx.session.data?.inquiry;
  const remembered = typeof ref === 'string' ? await inquiries.getForUser(ctx.meta.userId, ref) : null;
  if (remembered && remembered.status !== 'closed') return remembered;
  const latest = await inquiries.openForUser(ctx.meta.userId);
  const { inquiry: _gone, ...data } = ctx.session.data ?? {};
  ctx.session.data = latest ? { ...data, inquiry: latest.ref } : data;
  return latest;
}

/**
 * At most INQUIRY_FLOOD_PER_MINUTE messages a minute join inquiries, and as many knowledge base
 * look-ups (each one is a row for the figures); a counter per person and kind in Redis.
 */
async function flooding(ctx: HandlerContext, kind: 'flood' | 'lookups' = 'flood'): Promise<boolean> {
  const key = `${ctx.deps.config.REDIS_PREFIX}:inq:${kind}:${ctx.meta.userId}`;
  const [[, n] = [null, 0]] = ((await ctx.deps.redis.multi().incr(key).expire(key, 60, 'NX').exec()) ?? []) as Array<[unknown, number]>;
  return Number(n) > ctx.deps.config.INQUIRY_FLOOD_PER_MINUTE;
}

async function addFollowUp(ctx: HandlerContext, inquiry: Inquiry, input: Input): Promise<boolean> {
  let message: MessageIn | null = null;
  const messageId = ctx.meta.messageId ?? ctx.meta.updateId;
  const forwarded = ctx.meta.forwarded ? { forwarded: ctx.meta.forwarded } : {};
  // Whole: Telegram caps a message at 4,096 characters, and the topic gets it in parts if needed.
  if (input.kind === 'text') message = { text: input.text, chatId: ctx.meta.chatId, messageId, ...forwarded };
  else if (input.kind === 'unsupported' && isRelayable(input.media)) {
    message = { media: input.media, chatId: ctx.meta.chatId, messageId, ...(input.caption ? { text: input.caption } : {}), ...fileNameMark(input.fileNames), ...forwarded };
  }
  if (!message) {
    ctx.reply({ kind: 'text', text: ctx.t('inquiries:follow-up.unsupported', { ref: inquiry.ref }) });
    return true;
  }
  if (await flooding(ctx)) {
    ctx.reply({ kind: 'text', text: ctx.t('inquiries:follow-up.slow-down') });
    return true;
  }
  if (!(await ctx.deps.services.inquiries.addCitizenMessage(inquiry.ref, ctx.meta.userId, message))) return false;
  await mirrorCitizen(ctx.deps, inquiry, message);
  // A number alone could have meant the menu's entry: say how to reach the menu instead.
  const added = input.kind === 'text' && isNumberAlone(input.text) ? 'inquiries:follow-up.added-number' : 'inquiries:follow-up.added';
  ctx.reply({ kind: 'text', text: ctx.t(added, { ref: inquiry.ref }) });
  return true;
}

/** An attachment that may become a question: where it is in the chat, its caption, whether its name holds an IIN, whether it was forwarded. */
function attachmentOf(ctx: HandlerContext, media: RelayableMedia, input: { caption?: string; fileNames?: string[] }, messageId: number): PendingAttachment {
  return {
    media,
    chatId: ctx.meta.chatId,
    messageId,
    ...(input.caption ? { caption: input.caption } : {}),
    ...fileNameMark(input.fileNames),
    ...(ctx.meta.forwarded ? { forwarded: ctx.meta.forwarded } : {}),
  };
}

/**
 * A voice message (or another attachment operators can take) with no question open: the bot
 * cannot listen to it, but a person can. It is offered to open a question that carries it (a
 * tap, or the button's words typed); the session remembers which message, so an old button
 * cannot send another one.
 */
function offerAttachment(ctx: HandlerContext, input: Extract<Input, { kind: 'unsupported' }>): boolean {
  if (!isRelayable(input.media) || ctx.meta.messageId === undefined) return false;
  const pending = attachmentOf(ctx, input.media, input, ctx.meta.messageId);
  ctx.session.data = { ...ctx.session.data, pendingAttachment: pending };
  ctx.reply({
    kind: 'text',
    text: ctx.t(LISTENED_MEDIA.has(input.media) ? 'inquiries:attachment.offer-listen' : 'inquiries:attachment.offer'),
    buttons: [[{ text: ctx.t('inquiries:attachment.send'), data: iq.attachment(pending.messageId) }], [{ text: ctx.t('inquiries:faq.ask-person'), data: iq.ask() }]],
  });
  return true;
}

/**
 * A message the person had sent was changed: Telegram lets them replace a file, and every copy
 * made from then on (a question sent later from an offered attachment, a topic made again) shows
 * the new file's name. One now named with an IIN is marked wherever it waits or is kept, as if
 * sent so; the copy already in a topic is not changed by the edit.
 */
async function onEdited(ctx: HandlerContext, input: Extract<Input, { kind: 'edited' }>): Promise<void> {
  const messageId = ctx.meta.messageId;
  if (messageId === undefined || !fileNameMark(input.fileNames).nameHidden) return;
  const marked = (value: unknown): PendingAttachment | undefined => {
    const pending = pendingAttachment.safeParse(value);
    return pending.success && pending.data.messageId === messageId ? { ...pending.data, nameHidden: true } : undefined;
  };
  const offered = marked(ctx.session.data?.pendingAttachment);
  if (offered) ctx.session.data = { ...ctx.session.data, pendingAttachment: offered };
  const scene = ctx.session.scene;
  const asked = scene?.id === INQUIRY_ASK_SCENE ? marked(scene.answers.attachment) : undefined;
  if (scene && asked) scene.answers = { ...scene.answers, attachment: asked };
  await ctx.deps.services.inquiries.markNameHidden(ctx.meta.userId, { chatId: ctx.meta.chatId, messageId });
}

/** Opens "Ask a person" carrying the offered attachment; a button of an earlier one is stale. */
async function askWithAttachment(ctx: HandlerContext, messageId?: number): Promise<boolean> {
  const pending = pendingAttachment.safeParse(ctx.session.data?.pendingAttachment);
  if (!pending.success || (messageId !== undefined && pending.data.messageId !== messageId)) return false;
  const { pendingAttachment: _p, ...data } = ctx.session.data ?? {};
  ctx.session.data = data;
  await ctx.startScene(INQUIRY_ASK_SCENE, { attachment: pending.data });
  return true;
}

/**
 * A voice message (or another attachment operators take) where "Ask a person" wants the
 * question typed: it is the question. The form starts again carrying it, with the topic
 * already chosen, so only the region may be left to tap.
 */
async function attachmentAsQuestion(ctx: HandlerContext, input: Extract<Input, { kind: 'unsupported' }>): Promise<boolean> {
  const scene = ctx.session.scene;
  if (scene?.id !== INQUIRY_ASK_SCENE || scene.step !== 'question' || !isRelayable(input.media) || ctx.meta.messageId === undefined) return false;
  const topic = z.enum(INQUIRY_TOPICS).safeParse(scene.answers.topic ?? scene.answers.seedTopic);
  const attachment = attachmentOf(ctx, input.media, input, ctx.meta.messageId);
  await ctx.startScene(INQUIRY_ASK_SCENE, { attachment, ...(topic.success ? { topic: topic.data } : {}) });
  return true;
}

/** A button's words as a typed answer: in the person's language, and in the other two, as every form reads them. */
function typedButton(ctx: HandlerContext, value: string, key: string): ShownOption {
  return { value, label: ctx.t(key), aliases: LOCALES.filter((locale) => locale !== ctx.locale).map((locale) => ctx.tIn(locale)(key)) };
}

/** The button's whole words typed (Kazakh in Latin letters too), not a beginning that may start a question. */
function typedWhole(text: string, option: ShownOption): boolean {
  const latin = latinSkeleton(text);
  return [option.label, ...(option.aliases ?? [])].some((words) => normalizeForMatch(words) === normalizeForMatch(text) || (latin !== '' && latinSkeleton(words) === latin));
}

/** Typed "Send it to a person" or "Ask a person" under the offer of an attachment. */
async function typedAttachmentChoice(ctx: HandlerContext, text: string): Promise<boolean> {
  if (ctx.session.data?.pendingAttachment === undefined || /^\d+$/.test(text.trim())) return false;
  const picked = matchTyped(text, [typedButton(ctx, 'send', 'inquiries:attachment.send'), typedButton(ctx, 'ask', 'inquiries:faq.ask-person')]);
  if (!picked) return false;
  if (picked.value === 'ask') {
    // A question of its own, typed now: not one typed to the knowledge base before the attachment.
    await askPerson(ctx, null);
    return true;
  }
  return askWithAttachment(ctx);
}

/** Typed "This helped" / "Ask a person" under the last answer; "Ask a person" with none on screen too. */
async function typedFollowUpChoice(ctx: HandlerContext, text: string): Promise<boolean> {
  const logId = ctx.session.data?.faqLog;
  const ask = typedButton(ctx, 'ask', 'inquiries:faq.ask-person');
  if (typeof logId !== 'string') {
    // The words every answer tells people to type, typed after /menu or another day: they ask
    // for a person, not the knowledge base (which found jobs for "Ask a person").
    if (!typedWhole(text, ask)) return false;
    await askPerson(ctx, null);
    return true;
  }
  const picked = matchTyped(text, [typedButton(ctx, 'helped', 'inquiries:faq.helped'), ask]);
  // "Да, спасибо", "жоқ", 👍: the answer to "Did this answer your question?" in words, when
  // that was asked (the look-up found entries; "no" to "I have no answer" means nothing).
  const words = picked ? null : replyToAnswer(text);
  const meant = picked && !/^\d+$/.test(text.trim()) ? picked.value : words && (await ctx.deps.services.faq.found(logId)) ? words : null;
  if (!meant) return false;
  if (meant === 'helped') await helped(ctx, logId);
  else await askPerson(ctx);
  return true;
}

async function helped(ctx: HandlerContext, logId: string): Promise<void> {
  const counted = await ctx.deps.services.faq.mark(logId, 'helped');
  // Only this answer's look-up is settled: one asked after it (tapped under an earlier answer) stays.
  ctx.session.data = withoutLookup(ctx.session.data ?? {}, logId);
  // A second tap (or one after the question went to a person) is answered on the button alone.
  if (!counted) return ctx.reply({ kind: 'toast', text: ctx.t('inquiries:faq.noted') });
  ctx.reply({ kind: 'text', text: ctx.t('inquiries:faq.glad') });
  await ctx.showMenu();
}

/**
 * "Ask a person", carrying the question of the answer it was under (`logId`; typed, it is the
 * latest answer). Under an answer too old for the session to know its question, the person
 * types it again rather than have another question sent in its place. `null`: not under an
 * answer (the offer for a voice message), so the question is typed anew.
 */
async function askPerson(ctx: HandlerContext, logId?: string | null): Promise<void> {
  if (logId === null) return ctx.startScene(INQUIRY_ASK_SCENE, {});
  const data = ctx.session.data ?? {};
  if (logId !== undefined && logId !== data.faqLog) {
    // That look-up becomes the latest, so the form marks it (not the other) as asked of a person.
    ctx.session.data = withCurrentLookup(data, lookupOf(data, logId));
  }
  const lookup = currentOf(ctx.session.data ?? {});
  await ctx.startScene(INQUIRY_ASK_SCENE, lookup ? { question: lookup.question, ...(lookup.forwarded ? { questionForwarded: lookup.forwarded } : {}) } : {});
}

/** Free text outside a form: follow-ups join an open inquiry; anything else asks the knowledge base. */
async function onFreeText(ctx: HandlerContext, input: Input, inScene: boolean): Promise<boolean> {
  const { faq } = ctx.deps.services;
  if (inScene) {
    // Too many look-ups: the form simply asks its step again.
    if (input.kind !== 'text' || (await flooding(ctx, 'lookups'))) return false;
    const { hits } = await faq.ask(ctx.locale, input.text);
    // Nothing found: leave it to the form, whose own message says what the step wants.
    if (hits.length === 0) return false;
    ctx.reply(faqAnswer(ctx, hits, undefined));
    return true;
  }
  if (input.kind === 'text' && INQUIRY_REF.test(input.text.trim().toUpperCase()) && (await ctx.role()) !== 'citizen') {
    return viewForStaff(ctx, input.text.trim().toUpperCase());
  }
  const open = await openInquiry(ctx);
  if (open) return addFollowUp(ctx, open, input);
  if (input.kind === 'unsupported') return offerAttachment(ctx, input);
  if (input.kind !== 'text') return false;
  if (await typedAttachmentChoice(ctx, input.text)) return true;
  if (await typedFollowUpChoice(ctx, input.text)) return true;
  // No word in it ("👍", a number past the menu's, "...", invisible characters): nothing the
  // knowledge base or a person could answer. The menu says it did not understand.
  if (!/\p{L}/u.test(input.text)) return false;
  if (await flooding(ctx, 'lookups')) {
    ctx.reply({ kind: 'text', text: ctx.t('inquiries:faq.slow-down') });
    await ctx.showMenu();
    return true;
  }
  // The whole question goes to a person if asked; the look-up reads its first 2,000 characters.
  const question = input.text.trim();
  const { hits, logId } = await faq.ask(ctx.locale, question.slice(0, 2000));
  ctx.session.data = withCurrentLookup(ctx.session.data ?? {}, { log: logId, question, ...(ctx.meta.forwarded ? { forwarded: ctx.meta.forwarded } : {}) });
  if (hits.length === 0) {
    ctx.reply({ kind: 'text', text: ctx.t('inquiries:faq.none'), buttons: [[{ text: ctx.t('inquiries:faq.ask-person'), data: iq.askAbout(logId) }]] });
    await ctx.showMenu();
    return true;
  }
  const top = hits[0]!.entry;
  // A short request that names one service ("стать волонтёром") opens it instead of describing it.
  if (hits.length === 1 && top.scene && OPENABLE.has(top.scene) && question.split(/\s+/).length <= 4 && !question.includes('?')) {
    ctx.reply({ kind: 'text', text: ctx.t('inquiries:faq.opening', { title: ctx.t(sceneLabelKey(top.scene) ?? 'inquiries:ask.title') }) });
    await ctx.startScene(top.scene);
    return true;
  }
  ctx.reply(faqAnswer(ctx, hits, logId));
  return true;
}

/** A staff button on a question the member may not answer (any more): refused, and audited. */
async function refusedStaffButton(ctx: HandlerContext, button: string, ref?: string): Promise<void> {
  await ctx.deps.services.access.recordDenied(ctx.meta.userId, 'inquiries.answer', ref ? `inquiry:${ref}` : 'inquiries', { button });
}

async function viewForStaff(ctx: HandlerContext, ref: string): Promise<boolean> {
  const inquiry = await ctx.deps.services.inquiries.get(ref);
  const scope = inquiry ? { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) } : {};
  if (!inquiry || !allows(await ctx.access(), 'inquiries.answer', scope)) {
    await refusedStaffButton(ctx, 'view', ref);
    ctx.reply({ kind: 'text', text: ctx.t('inquiries:staff.not-in-scope', { ref }) });
    await ctx.showMenu();
    return true;
  }
  ctx.reply(inquiryForStaff(ctx, inquiry), ...citizenAttachments(ctx, inquiry));
  return true;
}

/**
 * The person's voice messages, videos, photos and files among the messages shown, copied after
 * the text that marks them: without them an operator answering from the Staff menu (no staff
 * group, or away from it) could not hear a question asked by voice.
 */
function citizenAttachments(ctx: HandlerContext, inquiry: Inquiry): Reply[] {
  return ctx.deps.services.inquiries
    .messages(inquiry)
    .slice(-STAFF_VIEW_MESSAGES)
    .flatMap((m) => {
      if (m.from !== 'citizen' || !m.media || m.chatId === undefined || m.messageId === undefined) return [];
      // "Q-2026-000123 Citizen: [voice message]": which question, and whose, when several are open.
      const caption = RELAYABLE_MEDIA[m.media].caption ? { caption: `${inquiry.ref} ${conversationLine(ctx, 'citizen', undefined, m.media, true).trim()}` } : {};
      return [{ kind: 'copy' as const, fromChatId: m.chatId, messageId: m.messageId, ...caption }];
    });
}

async function onButton(ctx: HandlerContext, rest: string): Promise<void> {
  const action = parseIq(rest);
  const stale = () => ctx.reply({ kind: 'toast', text: ctx.t('errors:stale-button') });
  if (!action) return stale();
  const { inquiries } = ctx.deps.services;
  switch (action.action) {
    case 'helped':
      return helped(ctx, action.logId);
    case 'ask':
      // Under the offer for an attachment (knowledge base answers carry their look-up: askAbout).
      return askPerson(ctx, null);
    case 'askAbout':
      return askPerson(ctx, action.logId);
    case 'attachment':
      if (!(await askWithAttachment(ctx, action.messageId))) return stale();
      return;
    case 'mine':
      return showMine(ctx);
    case 'go':
      return OPENABLE.has(action.scene) ? ctx.startScene(action.scene) : stale();
    case 'rate': {
      const ok = await inquiries.rate(ctx.meta.userId, action.ref, action.rating);
      ctx.reply({ kind: 'text', text: ctx.t(ok ? 'inquiries:rate.thanks' : 'inquiries:rate.not-closed', { ref: action.ref }) });
      return ctx.showMenu();
    }
    case 'close': {
      // The citizen closing their own question, or staff closing from the Staff menu.
      const own = await inquiries.getForUser(ctx.meta.userId, action.ref);
      const inquiry = own ?? (await inquiries.get(action.ref));
      const scope = inquiry ? { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) } : {};
      if (!inquiry || (!own && !allows(await ctx.access(), 'inquiries.answer', scope))) {
        await refusedStaffButton(ctx, 'close', action.ref);
        return stale();
      }
      const closed = await closeInquiry(ctx.deps, action.ref, ctx.meta.userId);
      ctx.reply({ kind: 'text', text: ctx.t(closed ? 'inquiries:mine.closed' : 'inquiries:staff.already-closed', { ref: action.ref }) });
      return ctx.showMenu();
    }
    case 'tell': {
      // Another operator tells the person their question is closed (the closer's notice was withheld).
      const inquiry = await inquiries.get(action.ref);
      const scope = inquiry ? { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) } : {};
      if (!inquiry || !allows(await ctx.access(), 'inquiries.answer', scope)) {
        await refusedStaffButton(ctx, 'tell', action.ref);
        return stale();
      }
      const told = await tellWithheldClose(ctx.deps, action.ref, ctx.meta.userId);
      const key = told === 'told' ? 'inquiries:staff.told' : told === 'not-allowed' ? 'inquiries:staff.tell-not-you' : 'inquiries:staff.already-told';
      ctx.reply({ kind: 'text', text: ctx.t(key, { ref: action.ref }) });
      return;
    }
    case 'view':
      await viewForStaff(ctx, action.ref);
      return;
    case 'reply':
      return ctx.startScene(INQUIRY_REPLY_SCENE, { ref: action.ref });
    case 'faq': {
      const inquiry = await inquiries.get(action.ref);
      const scope = inquiry ? { topic: inquiry.topic, ...(inquiry.region ? { region: inquiry.region } : {}) } : {};
      if (!inquiry || !allows(await ctx.access(), 'inquiries.answer', scope)) {
        await refusedStaffButton(ctx, 'faq', action.ref);
        return stale();
      }
      // A short form: the member reads and corrects both texts; nothing is published before Publish.
      return ctx.startScene(KB_ENTRY_SCENE, { ref: action.ref });
    }
    case 'figures':
      if ((await ctx.role()) === 'citizen') {
        await refusedStaffButton(ctx, 'figures');
        return stale();
      }
      ctx.reply(...(await figuresReplies(ctx, action.days)));
      return ctx.showMenu();
    default:
      return stale();
  }
}

async function showQueue(ctx: HandlerContext): Promise<void> {
  const access = await ctx.access();
  if (!allows(access, 'inquiries.answer')) {
    ctx.reply({ kind: 'text', text: ctx.t('errors:not-allowed') });
    return ctx.showMenu();
  }
  ctx.reply(queueReply(ctx, await ctx.deps.services.inquiries.queue(access)));
}

async function showMine(ctx: HandlerContext): Promise<void> {
  ctx.reply(...myQuestions(ctx, await ctx.deps.services.inquiries.listForUser(ctx.meta.userId)));
  await ctx.showMenu();
}

const questionsSection: PersonalDataSection = {
  id: 'inquiries',
  async describe(ctx) {
    const { inquiries } = ctx.deps.services;
    const items = await inquiries.listForUser(ctx.meta.userId);
    const lines = items.map((i) =>
      ctx.t('inquiries:mydata.item', { ref: i.ref, topic: ctx.t(`inquiries:topic.${i.topic}`), status: ctx.t(`inquiries:status.${i.status}`), count: i.messages.length }),
    );
    // The newest are named; older ones are counted, so that the message stays within Telegram's limit.
    const older = (await inquiries.countForUser(ctx.meta.userId)) - items.length;
    if (older > 0) lines.push(ctx.t('inquiries:mydata.more', { count: older }));
    return lines;
  },
  async erase(ctx) {
    const all = await ctx.deps.services.inquiries.allForUser(ctx.meta.userId);
    // Every question's topic, closed ones too: each holds the person's words.
    await recordErasedTopics(ctx.deps, all);
    // The queue keeps sent answers a week (texts sealed, but still theirs): they go with the questions.
    const jobs = all.flatMap(relayJobIdsOf);
    if (jobs.length) await ctx.deps.delivery.cancel(jobs);
    await ctx.deps.services.inquiries.eraseForUser(ctx.meta.userId);
    // Nothing of a question has to be kept by law; its staff topic is deleted with it, unless the
    // bot may not delete there, or Telegram did not answer: the person is told, as the topics stay.
    const left = await deleteErasedTopics(ctx.deps, all);
    return { keptByLaw: [], notDeleted: [...topicsLine(ctx, 'topics-not-deleted', left.refused), ...topicsLine(ctx, 'topics-pending', left.pending)] };
  },
};

/**
 * Exactly one topic has its own text: Russian's "one" plural form is also 21, 31, ..., where the
 * sentence that follows the number must speak of them in the plural ("Они закрыты").
 */
function topicsLine(ctx: SceneContext, key: 'topics-not-deleted' | 'topics-pending', count: number): string[] {
  if (count === 0) return [];
  return [count === 1 ? ctx.t(`inquiries:mydata.${key}-single`) : ctx.t(`inquiries:mydata.${key}`, { count })];
}

/** Citizen questions: knowledge base answers, "Ask a person", operators in a forum or the Staff menu. */
export const inquiriesFeature: Feature = {
  id: 'inquiries',
  scenes: [inquiryAskScene, inquiryReplyScene, kbEntryScene],
  menu: [{ id: 'inquiry-ask', labelKey: 'inquiries:menu.ask', order: 40, scene: INQUIRY_ASK_SCENE }],
  staffMenu: [
    { id: 'inquiry-queue', labelKey: 'inquiries:menu.queue', order: 400, roles: ['staff', 'admin'], permission: 'inquiries.answer', run: showQueue },
    { id: 'inquiry-figures', labelKey: 'inquiries:menu.figures', order: 410, roles: ['staff'], run: async (ctx) => ctx.reply(figuresPeriodPrompt(ctx)) },
  ],
  commands: [
    { command: 'myquestions', descriptionKey: 'inquiries:commands.myquestions', run: showMine },
    { command: 'ask', descriptionKey: 'inquiries:commands.ask', run: (ctx) => ctx.startScene(INQUIRY_ASK_SCENE) },
  ],
  callbacks: [{ prefix: IQ, run: onButton }],
  personalData: [questionsSection],
  staffChat: handleStaffChat,
  freeText: onFreeText,
  // Anything written with a question open joins it, as its "sent" message promises: a number or
  // a word of a menu entry's name too (only the entry's whole name opens it).
  takesTypedGuesses: async (ctx) => (await openInquiry(ctx)) !== null,
  // Entries an older version made from a question with its one text in all three languages.
  // Topics noted before their group was kept are in the group configured now (topic-group-backfill.ts).
  startUp: [
    { name: 'knowledge base entries from questions in their language only', run: keepQuestionLanguageOnly },
    { name: 'the staff group of each question\'s topic', run: recordTopicGroups },
  ],
  repairs: [
    // After a move of the staff group: open questions get topics here first, so their follow-ups have somewhere to go.
    { name: 'questions into the current staff group', run: moveToCurrentGroup },
    // Follow-ups whose post into the staff topic failed (Telegram busy or down) or was cut short.
    { name: 'follow-ups into staff topics', run: retryTopicMirrors },
    // Closes whose topic or "question closed" notice a stopped process or a failed write left owed.
    { name: 'closes cut short', run: finishInterruptedCloses },
  ],
  sceneAttachment: attachmentAsQuestion,
  edited: onEdited,
  async sceneEvents(ctx, event) {
    await countStep(ctx.deps.redis, ctx.deps.config.REDIS_PREFIX, ctx.deps.now(), event.scene, event.step, ctx.locale);
  },
  delivery: {
    // A blocked citizen's answer is still tried: the 403 is what tells the operator in the topic.
    // One queued while the person deleted their data (after the erasure cleared their jobs) is not.
    guards: (services) => ({ 'inquiry-relay': async (job) => !job.ref || services.inquiries.stillFor(job.ref, job.chatId) }),
    withheld: (deps) => ({
      'inquiry-relay': async (job) => {
        if (job.ref) await onRelayWithheld(deps, job.ref, job.id, job.actedBy?.userId);
      },
    }),
    start: (deps) => ({
      async onOutcome(job, outcome) {
        if (job.kind === 'inquiry-relay' && job.ref) await onRelayOutcome(deps, job.ref, outcome);
      },
    }),
  },
};
