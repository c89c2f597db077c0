// A citizen's follow-up that Telegram refused to take into the staff topic (busy, failing, the
// network), or whose post a stopped process left unmarked, used to be only logged: operators
// never saw it. Now it stays due and the repair pass posts it, once, however often and from
// however many processes it runs. The whole bot, the real queue and worker, FerretDB, Redis and
// the local Bot API with a forum supergroup as the staff chat.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onboard, type TestApp } from '../../support/app-harness.js';
import { messagesInThread } from '../../support/group-updates.js';
import { askPerson, STAFF_CHAT, startLiveRelay, threadText, type LiveRelay } from './helpers.js';
import { mirrorCitizen, retryTopicMirrors } from '../../../src/features/inquiries/topic-mirror.js';
import { openTopic } from '../../../src/features/inquiries/relay.js';
import { topicMirrorModel } from '../../../src/features/inquiries/topic-mirror.model.js';

const OPERATOR = 9400;
const later = () => new Date(Date.now() + 2 * 60_000);

describe('follow-ups into the staff topic, finished by the repair pass', () => {
  let relay: LiveRelay;
  let app: TestApp;

  const lines = (threadId: number, text: string) => threadText(app, threadId).filter((line) => line === `Citizen: ${text}`).length;
  /** Two processes' passes at once, then once more. */
  const passes = async () => {
    await Promise.all([retryTopicMirrors(app.bot.deps, later()), retryTopicMirrors(app.bot.deps, later())]);
    await retryTopicMirrors(app.bot.deps, later());
  };
  async function question(chat: number, text: string): Promise<{ ref: string; threadId: number }> {
    await onboard(app, chat);
    const ref = await askPerson(app, chat, text);
    return { ref, threadId: (await app.bot.services.inquiries.get(ref))!.threadId! };
  }

  beforeAll(async () => {
    relay = await startLiveRelay('inq_mirror_repair', OPERATOR);
    app = relay.app;
  }, 120_000);
  afterAll(async () => relay?.close());

  it('a follow-up Telegram failed to take (5xx) reaches the topic once by the pass', async () => {
    const chat = 5401;
    const { ref, threadId } = await question(chat, 'Is there a speech therapist in Kostanay?');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await app.say(chat, 'My son is 6 years old');
    // The person is told it was added: it is stored, and it will reach the operators.
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    expect(lines(threadId, 'My son is 6 years old')).toBe(0);
    expect((await topicMirrorModel(app.mongo).findOne({ ref }).lean())?.doneAt).toBeUndefined();

    // Within the minute the pass leaves it: it may be posting right now in its own process.
    expect(await retryTopicMirrors(app.bot.deps)).toBe(0);
    await passes();
    expect(lines(threadId, 'My son is 6 years old')).toBe(1);
    expect(await topicMirrorModel(app.mongo).findOne({ ref }).lean()).toMatchObject({ doneAt: expect.any(Date) });
  });

  it('a photo Telegram failed to copy (429) is copied once by the pass', async () => {
    const chat = 5402;
    const { threadId } = await question(chat, 'Where can I get a wheelchair repaired?');
    app.api.failNext('copyMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    await app.send(app.api.photo(chat, { enqueue: false }));
    const copies = () => messagesInThread(app.api, STAFF_CHAT, threadId).filter((m) => m.method.toLowerCase() === 'copymessage').length;
    expect(copies()).toBe(0);
    await passes();
    expect(copies()).toBe(1);
  });

  it('a post a process made before it stopped (or lost the database) is not posted again', async () => {
    const chat = 5403;
    const { ref, threadId } = await question(chat, 'Can my daughter get a free hearing aid?');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await app.say(chat, 'She is 9');
    app.drain(chat);
    // The pass posts it; the write that notes it fails.
    const done = vi.spyOn(app.bot.services.inquiries.topicMirrors, 'done').mockRejectedValueOnce(new Error('FerretDB is not answering'));
    await retryTopicMirrors(app.bot.deps, later());
    done.mockRestore();
    expect(lines(threadId, 'She is 9')).toBe(1);
    expect((await topicMirrorModel(app.mongo).findOne({ ref }).lean())?.doneAt).toBeUndefined();
    await passes();
    expect(lines(threadId, 'She is 9')).toBe(1);
    expect(await topicMirrorModel(app.mongo).findOne({ ref }).lean()).toMatchObject({ doneAt: expect.any(Date) });
  });

  it('a retried update of a follow-up already in the topic does not post it twice', async () => {
    const chat = 5404;
    const { ref, threadId } = await question(chat, 'Who pays for a sign language interpreter?');
    await app.say(chat, 'For a doctor visit');
    app.drain(chat);
    expect(lines(threadId, 'For a doctor visit')).toBe(1);
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    const stored = app.bot.services.inquiries.messages(inquiry).find((m) => m.text === 'For a doctor visit')!;
    const message = { text: stored.text!, chatId: stored.chatId!, messageId: stored.messageId! };
    await Promise.all([mirrorCitizen(app.bot.deps, inquiry, message), mirrorCitizen(app.bot.deps, inquiry, message)]);
    await passes();
    expect(lines(threadId, 'For a doctor visit')).toBe(1);
  });

  it('a follow-up still due when its question is deleted with the person\'s data is forgotten, not posted', async () => {
    const chat = 5405;
    const { ref, threadId } = await question(chat, 'Is there a day centre in Aktobe?');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await app.say(chat, 'He needs help with meals');
    app.drain(chat);
    await app.bot.services.inquiries.eraseForUser(chat);
    expect(await topicMirrorModel(app.mongo).countDocuments({ ref })).toBe(0);
    await passes();
    expect(lines(threadId, 'He needs help with meals')).toBe(0);
  });
  it('two processes making the topic of one question at once make one topic, the question posted once', async () => {
    const chat = 5406;
    await onboard(app, chat);
    // Telegram refused the topic when the question was sent: none yet, and both may make it now.
    app.api.failNext('createForumTopic', 502, 'Bad Gateway');
    const ref = await askPerson(app, chat, 'Is there a ramp at the Shymkent library?');
    expect((await app.bot.services.inquiries.get(ref))!.threadId).toBeUndefined();
    await Promise.all([openTopic(app.bot.deps, ref), openTopic(app.bot.deps, ref)]);
    const topics = app.api.topics(STAFF_CHAT).filter((t) => t.name.startsWith(ref));
    expect(topics).toHaveLength(1);
    expect(topics[0]!.threadId).toBe((await app.bot.services.inquiries.get(ref))!.threadId);
    const posted = app.api.messagesTo(STAFF_CHAT).filter((m) => m.text === 'Citizen: Is there a ramp at the Shymkent library?');
    expect(posted).toHaveLength(1);
  });
  it('a follow-up that arrives while the topic is being made is in it once, in the one topic', async () => {
    const chat = 5407;
    await onboard(app, chat);
    app.api.failNext('createForumTopic', 502, 'Bad Gateway');
    const ref = await askPerson(app, chat, 'Can a guide dog ride the Almaty metro?');
    // The reminder or the repair pass makes the topic while the person writes again.
    await Promise.all([openTopic(app.bot.deps, ref), app.say(chat, 'She is trained and has papers')]);
    app.drain(chat);
    await passes();
    const topics = app.api.topics(STAFF_CHAT).filter((t) => t.name.startsWith(ref));
    expect(topics).toHaveLength(1);
    expect(lines(topics[0]!.threadId, 'Can a guide dog ride the Almaty metro?')).toBe(1);
    expect(lines(topics[0]!.threadId, 'She is trained and has papers')).toBe(1);
    expect(app.api.messagesTo(STAFF_CHAT).filter((m) => m.text === 'Citizen: She is trained and has papers')).toHaveLength(1);
  });
  it('a typed question that Telegram failed to take into its new topic is posted there once by the pass', async () => {
    const chat = 5408;
    await onboard(app, chat);
    await app.say(chat, 'Where can my son learn braille in Taraz?');
    await app.tapLike(chat, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    // The topic is made; its card and the question are not taken (Telegram busy).
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(ref).toBeDefined();
    const threadId = (await app.bot.services.inquiries.get(ref!))!.threadId!;
    expect(threadId).toBeDefined();
    expect(lines(threadId, 'Where can my son learn braille in Taraz?')).toBe(0);
    await passes();
    expect(lines(threadId, 'Where can my son learn braille in Taraz?')).toBe(1);
  });
  it('a header card Telegram failed to take into a new topic is posted once by the pass, with its buttons', async () => {
    const chat = 5409;
    await onboard(app, chat);
    app.api.failNext('createForumTopic', 502, 'Bad Gateway');
    const ref = await askPerson(app, chat, 'Is there a pool with a hoist in Pavlodar?');
    // The topic is made now; its card is not taken (Telegram busy), the question is.
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    const threadId = (await openTopic(app.bot.deps, ref))!;
    const cards = () => messagesInThread(app.api, STAFF_CHAT, threadId).filter((m) => m.kind === 'sent' && m.text?.includes(ref) && m.buttons.length > 0);
    expect(lines(threadId, 'Is there a pool with a hoist in Pavlodar?')).toBe(1);
    expect(cards()).toHaveLength(0);
    expect((await app.bot.services.inquiries.get(ref))!.cardMessageId).toBeUndefined();
    await passes();
    expect(cards()).toHaveLength(1);
    expect(cards()[0]!.buttons.flat()).toContain('Take');
    // Later changes of the question edit that card.
    expect((await app.bot.services.inquiries.get(ref))!.cardMessageId).toBe(cards()[0]!.messageId);
  });
});
