// Voice messages, audio, video and round videos in "ask a person", both ways, through the whole
// bot, the real BullMQ queue and delivery worker, and the local Bot API with a forum staff chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard, type TestApp } from '../../support/app-harness.js';
import { groupCallback, groupText, messagesInThread } from '../../support/group-updates.js';
import { untilDeliveryIdle } from '../../support/delivery-idle.js';
import { askPerson, STAFF_CHAT, startLiveRelay, threadText, until, type LiveRelay } from './helpers.js';
import { mirrorCitizen, retryTopicMirrors } from '../../../src/features/inquiries/topic-mirror.js';
import { openApplication } from '../../grant/helpers.js';
import type { MessageState, Update, UpdateOptions } from '../../../src/platform/bot-api/index.js';
import { RELAYABLE_MEDIA_KINDS } from '../../../src/telegram/types.js';

const OPERATOR = 7301;

type Kind = 'voice' | 'audio' | 'video' | 'video_note';
const KINDS: Kind[] = ['voice', 'audio', 'video', 'video_note'];

describe('voice messages, audio and video in questions to a person', () => {
  let relay: LiveRelay;
  let app: TestApp;

  /** A citizen's (or, with userId and threadId, an operator's) message of this kind. */
  const media = (kind: Kind, chatId: number, opts: UpdateOptions = {}): Update => {
    const o = { enqueue: false, ...opts };
    if (kind === 'voice') return app.api.voice(chatId, o);
    if (kind === 'audio') return app.api.audio(chatId, o);
    if (kind === 'video') return app.api.video(chatId, o);
    return app.api.videoNote(chatId, o);
  };
  const messageIdOf = (update: Update) => Number((update.message as { message_id: number }).message_id);
  const copiesInThread = (threadId: number): MessageState[] => messagesInThread(app.api, STAFF_CHAT, threadId).filter((m) => m.method === 'copyMessage');

  beforeAll(async () => {
    // The burst below sends 20 follow-ups in a minute; the flood limit is not what it tests. The
    // per-chat gap is Telegram's one second (not helpers.ts's short one): the operator's answers
    // below (five messages, a round video's header and copy queued together) prove they keep
    // their order with the spacing production uses; without it they come out of order.
    relay = await startLiveRelay('inq_voice', OPERATOR, { INQUIRY_FLOOD_PER_MINUTE: '40' });
    app = relay.app;
  });
  afterAll(async () => relay?.close());

  it('every kind in the one list has its mark in every language', () => {
    for (const locale of ['kk', 'ru', 'en'] as const) {
      for (const kind of RELAYABLE_MEDIA_KINDS) expect(app.bot.i18n.t(locale)(`inquiries:media.${kind}`)).toMatch(/^\[.+\]$/);
    }
  });

  it('each kind, citizen to topic: copied with the "Citizen:" label (a round video after its label), stored and audited', async () => {
    const chat = 5301;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'My son cannot write, may I send voice messages?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const sent: Update[] = [];
    for (const kind of KINDS) {
      const update = media(kind, chat, kind === 'audio' ? { caption: 'the doctor said this' } : {});
      sent.push(update);
      await app.send(update);
      expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    }
    const copies = copiesInThread(threadId);
    expect(copies.map((c) => c.attachment)).toEqual(KINDS);
    expect(copies.map((c) => c.copiedFrom)).toEqual(sent.map((u) => ({ chatId: chat, messageId: messageIdOf(u) })));
    expect(copies[0]!.text).toBe('Citizen: [voice message]');
    expect(copies[1]!.text).toBe('Citizen: [audio] the doctor said this');
    expect(copies[2]!.text).toBe('Citizen: [video]');
    // A round video cannot carry a caption: its label is the message just before it.
    expect(copies[3]!.text).toBeUndefined();
    const thread = messagesInThread(app.api, STAFF_CHAT, threadId);
    const noteAt = thread.findIndex((m) => m === copies[3]);
    expect(thread[noteAt - 1]!.text).toBe('Citizen: [round video]');

    const stored = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!);
    expect(stored.slice(1).map((m) => [m.media, m.text])).toEqual([['voice', undefined], ['audio', 'the doctor said this'], ['video', undefined], ['video_note', undefined]]);
    const audit = await app.bot.services.audit.recent(20, { action: 'inquiry.citizen-message', target: `inquiry:${ref}` });
    expect(audit.map((a) => (a.details as { media?: string } | undefined)?.media).sort()).toEqual(['audio', 'video', 'video_note', 'voice']);
  });

  it('each kind, operator to citizen: through the delivery queue, as "Operator", in order (a round video after its header)', async () => {
    const chat = 5302;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Which documents do I need for the assessment?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const header = `Operator, question ${ref}:`;
    for (const kind of KINDS) {
      await app.send(media(kind, STAFF_CHAT, { userId: OPERATOR, threadId, ...(kind === 'video' ? { caption: 'how to fill in the form' } : {}) }));
    }
    await until('four answers', () => app.api.messagesTo(chat).filter((m) => m.method === 'copyMessage').length === 4);
    await untilDeliveryIdle(app.config);
    const answers = app.api.messagesTo(chat).filter((m) => m.text?.startsWith(header) || m.method === 'copyMessage');
    expect(answers.map((m) => [m.method, m.attachment ?? null, m.text ?? null])).toEqual([
      ['copyMessage', 'voice', header],
      ['copyMessage', 'audio', header],
      ['copyMessage', 'video', `${header}\n\nhow to fill in the form`],
      ['sendMessage', null, header],
      ['copyMessage', 'video_note', null],
    ]);
    expect(answers.filter((m) => m.copiedFrom).every((m) => m.copiedFrom!.chatId === STAFF_CHAT)).toBe(true);
    expect(JSON.stringify(answers)).not.toContain(String(OPERATOR));
    expect(await app.bot.services.audit.recent(10, { action: 'inquiry.relay', target: `inquiry:${ref}` })).toHaveLength(4);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('answered');
  });

  it('the mailbox running the same voice follow-up again posts it once, two processes at once post it once, and one left mid-post is posted by the repair pass', async () => {
    const chat = 5303;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Can I get a sign language interpreter at the office?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const update = media('voice', chat);
    await app.send(update);
    // The same message under another update id: what the handler sees when a process died
    // before the update was done and the next holder runs it again.
    await app.send({ ...update, update_id: update.update_id + 1_000_000 });
    const id = messageIdOf(update);
    expect(copiesInThread(threadId).filter((c) => c.copiedFrom?.messageId === id)).toHaveLength(1);
    const stored = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!);
    expect(stored.filter((m) => m.messageId === id)).toHaveLength(1);

    const second = media('video_note', chat);
    await app.send(second);
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    const again = { media: 'video_note' as const, chatId: chat, messageId: messageIdOf(second) };
    await Promise.all([mirrorCitizen(app.bot.deps, inquiry, again), mirrorCitizen(app.bot.deps, inquiry, again)]);
    expect(copiesInThread(threadId).filter((c) => c.copiedFrom?.messageId === again.messageId)).toHaveLength(1);
    expect(threadText(app, threadId).filter((t) => t === 'Citizen: [round video]')).toHaveLength(1);

    // Another process is posting it (its claim is held): this one leaves it. If that process
    // dies before the post, the record stays due and the repair pass posts it, once.
    const third = media('audio', chat);
    const claimOf = (id: number) => `${app.config.REDIS_PREFIX}:inq:mirror:${ref}:${id}`;
    await app.redis.set(claimOf(messageIdOf(third)), 'posting', 'EX', 300);
    await app.send(third);
    const pending = messageIdOf(third);
    expect(copiesInThread(threadId).filter((c) => c.copiedFrom?.messageId === pending)).toHaveLength(0);
    await app.redis.del(claimOf(pending));
    const later = new Date(app.bot.deps.now().getTime() + 120_000);
    await retryTopicMirrors(app.bot.deps, later);
    await retryTopicMirrors(app.bot.deps, later);
    expect(copiesInThread(threadId).filter((c) => c.copiedFrom?.messageId === pending)).toHaveLength(1);
    expect(await app.redis.get(claimOf(pending))).toBe('posted');
  });

  it('a copy Telegram refuses gives the claim back, so the run after it posts the follow-up', async () => {
    const chat = 5304;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is there a day care centre in our district?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const update = media('voice', chat);
    app.api.failNext('copyMessage', 502, 'Bad Gateway');
    await app.send(update);
    expect(copiesInThread(threadId)).toHaveLength(0);
    await app.send({ ...update, update_id: update.update_id + 1_000_000 });
    expect(copiesInThread(threadId).map((c) => c.copiedFrom?.messageId)).toEqual([messageIdOf(update)]);
  });

  it('a closed question, a person who deleted their data, a blocked bot: an operator\'s voice reaches nobody and the topic is told', async () => {
    // Closed.
    const closedChat = 5305;
    await onboard(app, closedChat);
    const closedRef = await askPerson(app, closedChat, 'How do I renew the disability certificate?');
    const closedThread = (await app.bot.services.inquiries.get(closedRef))!.threadId!;
    await app.send(groupCallback(app.api, STAFF_CHAT, closedThread, OPERATOR, `iq:close:${closedRef}`, { enqueue: false }));
    await app.send(media('voice', STAFF_CHAT, { userId: OPERATOR, threadId: closedThread }));
    expect(threadText(app, closedThread).join('\n')).toContain(`Question ${closedRef} is already closed`);

    // Erased.
    const erasedChat = 5306;
    await onboard(app, erasedChat);
    const erasedRef = await askPerson(app, erasedChat, 'Where is the nearest rehabilitation centre?');
    const erasedThread = (await app.bot.services.inquiries.get(erasedRef))!.threadId!;
    // A group where the bot may not delete messages keeps the topic (closed): a voice written there
    // (erased-topics.test.ts: with the right, the topic is deleted and nothing can be written in it).
    app.api.withholdRight(STAFF_CHAT, 'can_delete_messages');
    try {
      await app.command(erasedChat, 'mydata');
      await app.tapLike(erasedChat, 'Delete all my data');
      await app.tapLike(erasedChat, 'Yes, delete everything');
    } finally {
      app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false);
    }
    await app.send(media('video_note', STAFF_CHAT, { userId: OPERATOR, threadId: erasedThread }));
    expect(threadText(app, erasedThread).join('\n')).toContain(`The person who asked ${erasedRef} deleted their data, so this message was not sent to anyone.`);

    // Blocked.
    const blockedChat = 5307;
    await onboard(app, blockedChat);
    const blockedRef = await askPerson(app, blockedChat, 'Can my daughter volunteer at 15?');
    const blockedThread = (await app.bot.services.inquiries.get(blockedRef))!.threadId!;
    app.api.blockedChats.add(blockedChat);
    await app.send(media('audio', STAFF_CHAT, { userId: OPERATOR, threadId: blockedThread }));
    await until('the blocked notice', () => threadText(app, blockedThread).some((t) => t.includes('has blocked the bot')));
    app.api.blockedChats.delete(blockedChat);

    await untilDeliveryIdle(app.config);
    for (const chat of [closedChat, erasedChat, blockedChat]) {
      expect(app.api.messagesTo(chat).filter((m) => m.method === 'copyMessage')).toHaveLength(0);
    }
  });

  it('a voice message at the menu: offered to a person; one tap (or the typed words) opens a question that carries it', async () => {
    const chat = 5308;
    await onboard(app, chat);
    const voice = media('voice', chat);
    await app.send(voice);
    const offer = app.drain(chat).join('\n');
    expect(offer).toContain('I cannot listen to voice messages or watch videos, but a person can.');
    expect(app.last(chat).buttons.flat()).toEqual(['Send it to a person', 'Ask a person']);
    await app.tap(chat, 'Send it to a person');
    expect(app.drain(chat).join('\n')).toContain('What is your question about?');
    // A voice message where a tap is wanted: said plainly, the same question again.
    await app.send(media('voice', chat));
    const again = app.drain(chat).join('\n');
    expect(again).toContain('I cannot listen to voice messages or watch videos here. Please tap a button or type your answer.');
    expect(again).toContain('What is your question about?');
    await app.tapLike(chat, 'Rehabilitation');
    // No typed question is asked: the voice message is the question.
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(ref).toBeDefined();
    const inquiry = (await app.bot.services.inquiries.get(ref!))!;
    expect(app.bot.services.inquiries.messages(inquiry).map((m) => [m.media, m.messageId])).toEqual([['voice', messageIdOf(voice)]]);
    const copies = copiesInThread(inquiry.threadId!);
    expect(copies.map((c) => [c.attachment, c.copiedFrom?.messageId, c.text])).toEqual([['voice', messageIdOf(voice), 'Citizen: [voice message]']]);

    // The operator answers by voice; the citizen hears it.
    await app.send(media('voice', STAFF_CHAT, { userId: OPERATOR, threadId: inquiry.threadId! }));
    await until('the answer', () => app.api.messagesTo(chat).some((m) => m.method === 'copyMessage' && m.text === `Operator, question ${ref}:`));

    // Typed instead of tapped, with a round video, by another person.
    const typer = 5309;
    await onboard(app, typer);
    const note = media('video_note', typer);
    await app.send(note);
    await app.say(typer, 'send it to a person');
    expect(app.drain(typer).join('\n')).toContain('What is your question about?');
    await app.tapLike(typer, 'Something else');
    await app.tapLike(typer, 'rather not say');
    const typedRef = app.drain(typer).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    const typedInquiry = (await app.bot.services.inquiries.get(typedRef!))!;
    expect(app.bot.services.inquiries.messages(typedInquiry).map((m) => m.media)).toEqual(['video_note']);
    expect(copiesInThread(typedInquiry.threadId!).map((c) => c.copiedFrom?.messageId)).toEqual([messageIdOf(note)]);
  });

  it('"Ask a person": a voice message where the question is asked is the question (the topic kept)', async () => {
    const chat = 5313;
    await onboard(app, chat);
    await app.command(chat, 'ask');
    await app.tapLike(chat, 'Volunteering');
    expect(app.drain(chat).join('\n')).toContain('or send a voice message');
    const voice = media('voice', chat, { caption: 'about my daughter' });
    await app.send(voice);
    expect(app.drain(chat).join('\n')).toContain('Which region');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    const inquiry = (await app.bot.services.inquiries.get(ref!))!;
    expect(inquiry.topic).toBe('volunteering');
    expect(app.bot.services.inquiries.messages(inquiry).map((m) => [m.media, m.text, m.messageId])).toEqual([['voice', 'about my daughter', messageIdOf(voice)]]);
    expect(copiesInThread(inquiry.threadId!).map((c) => c.text)).toEqual(['Citizen: [voice message] about my daughter']);
  });

  it('a voice question Telegram failed to copy into its new topic (502) is copied by the repair pass, once', async () => {
    const chat = 5319;
    await onboard(app, chat);
    await app.command(chat, 'ask');
    await app.tapLike(chat, 'Rehabilitation');
    const voice = media('voice', chat);
    await app.send(voice);
    app.api.failNext('copyMessage', 502, 'Bad Gateway');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    const threadId = (await app.bot.services.inquiries.get(ref!))!.threadId!;
    // The topic has its card but not the question: without the pass it would stay that way.
    expect(copiesInThread(threadId)).toHaveLength(0);
    const later = new Date(Date.now() + 120_000);
    await Promise.all([retryTopicMirrors(app.bot.deps, later), retryTopicMirrors(app.bot.deps, later)]);
    await retryTopicMirrors(app.bot.deps, later);
    expect(copiesInThread(threadId).map((c) => c.copiedFrom?.messageId)).toEqual([messageIdOf(voice)]);
  });

  it('an old or forged "Send it to a person" button opens nothing', async () => {
    const chat = 5310;
    await onboard(app, chat);
    await app.send(media('voice', chat));
    const oldOffer = app.last(chat);
    await app.send(media('audio', chat));
    app.drain(chat);
    // The first offer's button: another message is the one remembered now.
    await app.send(app.api.callback(chat, oldOffer.callbackData[0]![0]!, oldOffer.messageId, { enqueue: false }));
    await app.send(app.api.callback(chat, 'iq:vm:999999', oldOffer.messageId, { enqueue: false }));
    await app.send(app.api.callback(chat, 'iq:vm:-1', oldOffer.messageId, { enqueue: false }));
    expect(app.drain(chat).join('\n')).not.toContain('What is your question about?');
    expect(await app.bot.services.inquiries.listForUser(chat)).toEqual([]);
    // The latest one still works.
    await app.tap(chat, 'Send it to a person');
    expect(app.drain(chat).join('\n')).toContain('What is your question about?');
    await app.command(chat, 'cancel');
  });

  it('"Ask a person" under the offer of a voice message can be typed as well as tapped', async () => {
    const chat = 5314;
    await onboard(app, chat);
    await app.send(media('voice', chat));
    expect(app.last(chat).buttons.flat()).toEqual(['Send it to a person', 'Ask a person']);
    app.drain(chat);
    await app.say(chat, 'Ask a person');
    expect(app.drain(chat).join('\n')).toContain('What is your question about?');
    await app.command(chat, 'cancel');
  });

  it('an operator who opens a voice question in the Staff menu gets the voice message itself, not only its mark', async () => {
    const chat = 5315;
    await onboard(app, chat);
    await app.command(chat, 'ask');
    await app.tapLike(chat, 'Rehabilitation');
    const voice = media('voice', chat);
    await app.send(voice);
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)![0];
    // And a round video after it (it cannot carry a caption).
    const note = media('video_note', chat);
    await app.send(note);
    await onboard(app, OPERATOR);
    await app.say(OPERATOR, ref);
    expect(app.drain(OPERATOR).join('\n')).toContain('[voice message]');
    const copies = app.api.messagesTo(OPERATOR).filter((m) => m.method === 'copyMessage');
    expect(copies.map((c) => [c.attachment, c.copiedFrom?.messageId, c.text])).toEqual([
      ['voice', messageIdOf(voice), `${ref} Citizen: [voice message]`],
      ['video_note', messageIdOf(note), undefined],
    ]);
  });

  it('a voice message in the middle of the grant application: "please type", the same question, the draft kept', async () => {
    const chat = 5311;
    await onboard(app, chat);
    await openApplication(app, chat);
    await app.say(chat, '1');
    const question = app.last(chat).text;
    expect(question).toContain('Please type your full name');
    await app.send(media('voice', chat));
    expect(app.drain(chat).join('\n')).toContain('I cannot listen to voice messages or watch videos here. Please type your answer.');
    expect(app.last(chat).text).toBe(question);
    await app.send(media('video_note', chat));
    expect(app.last(chat).text).toBe(question);
    const before = await app.bot.sessions.peek(chat);
    expect(before!.scene!.answers).toMatchObject({ type: 'grant' });
    // Left for the menu and continued: the answers given stay.
    await app.command(chat, 'menu');
    expect(app.drain(chat).join('\n')).toMatch(/saved/i);
    expect((await app.bot.sessions.peek(chat))!.drafts?.[before!.scene!.id]?.answers).toEqual(before!.scene!.answers);
    // A voice message at the menu with a draft waiting does not lose the draft either.
    await app.send(media('voice', chat));
    expect((await app.bot.sessions.peek(chat))!.drafts?.[before!.scene!.id]?.answers).toEqual(before!.scene!.answers);
    await openApplication(app, chat);
    await app.tapLike(chat, 'Continue');
    expect(app.last(chat).text).toBe(question);
    expect((await app.bot.sessions.peek(chat))!.scene!.answers).toEqual(before!.scene!.answers);
    await app.command(chat, 'cancel');
  });

  it('a burst of 20 voice follow-ups reaches the topic whole and in order', async () => {
    const chat = 5312;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'I will explain by voice, it is easier for me.');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const burst = Array.from({ length: 20 }, () => media('voice', chat));
    await Promise.all(burst.map((u) => app.send(u)));
    const ids = burst.map(messageIdOf);
    expect(copiesInThread(threadId).map((c) => c.copiedFrom?.messageId)).toEqual(ids);
    const stored = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!);
    expect(stored.slice(1).map((m) => m.messageId)).toEqual(ids);
    expect(app.drain(chat).filter((t) => t.includes(`Added to your question ${ref}`))).toHaveLength(20);
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Listened to all twenty, thank you.', { enqueue: false }));
    await until('the answer', () => relay.seen(chat, 'Listened to all twenty'));
  });
});
