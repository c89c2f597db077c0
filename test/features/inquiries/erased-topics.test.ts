// "Delete my data" deletes the staff topics of the person's questions (deleteForumTopic) with
// every message in them: through the whole bot, the real queue and worker, and the local Bot API.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { forumTopic, groupText } from '../../support/group-updates.js';
import { onboard, type TestApp } from '../../support/app-harness.js';
import { untilDeliveryIdle } from '../../support/delivery-idle.js';
import { recordErasedTopics, retryErasedTopics } from '../../../src/features/inquiries/erased-topics.js';
import { recordTopicGroups } from '../../../src/features/inquiries/topic-group-backfill.js';
import { startUpLocks } from '../../support/start-up-locks.js';
import { createAppRedis } from '../../../src/bootstrap.js';
import { testRedisUrl } from '../../support/isolation.js';
import { askPerson, SHORT_CHAT_GAP_MS, STAFF_CHAT, startLiveRelay, threadText, until, type LiveRelay, eraseMyData } from './helpers.js';

const OPERATOR = 7101;

describe('"Delete my data" and the staff topics', () => {
  let relay: LiveRelay;
  let app: TestApp;

  beforeAll(async () => {
    relay = await startLiveRelay('inq_erased_topics', OPERATOR, {}, SHORT_CHAT_GAP_MS);
    app = relay.app;
  });
  afterAll(async () => relay?.close());

  const inThread = (threadId: number) => app.api.visibleMessages(STAFF_CHAT).filter((m) => m.threadId === threadId);
  const membersInThread = (threadId: number) => app.api.transcript(STAFF_CHAT).filter((m) => m.from === 'user' && m.threadId === threadId);
  const deletions = (threadId: number) => app.api.callsOf('deleteForumTopic', STAFF_CHAT).filter((c) => c.payload.message_thread_id === threadId);
  const erasedRecord = (threadId: number) => app.bot.services.inquiries.erasedTopics.byThread({ chatId: STAFF_CHAT, threadId });
  const threadOf = async (ref: string) => (await app.bot.services.inquiries.get(ref))!.threadId!;

  async function eraseData(chat: number): Promise<void> {
    await eraseMyData(app, chat);
    expect(await app.bot.services.inquiries.listForUser(chat)).toEqual([]);
  }

  /** A question asked, then "Delete my data" in a group where the bot may not delete: the topic told and closed. */
  async function erasedWithoutTheRight(chat: number, question: string): Promise<{ ref: string; threadId: number }> {
    await onboard(app, chat);
    const ref = await askPerson(app, chat, question);
    const threadId = await threadOf(ref);
    app.api.withholdRight(STAFF_CHAT, 'can_delete_messages');
    try {
      await eraseData(chat);
    } finally {
      app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false);
    }
    expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: false, deleteRefused: true, told: true, closed: true });
    return { ref, threadId };
  }

  it('deletes the topic of every question, closed ones too, with the person\'s words and the operators\' answers', async () => {
    const chat = 5401;
    await onboard(app, chat);
    const first = await askPerson(app, chat, 'My name is Aigerim Sarsenova, I live at Abay 12, my son has cerebral palsy: where is rehab?');
    const firstThread = await threadOf(first);
    await app.send(groupText(app.api, STAFF_CHAT, firstThread, OPERATOR, 'The centre on Tole bi, Aigerim.', { enqueue: false }));
    await until('the answer', () => relay.seen(chat, 'The centre on Tole bi'));
    await app.send(groupText(app.api, STAFF_CHAT, firstThread, OPERATOR, '/close', { enqueue: false }));
    const second = await askPerson(app, chat, 'And who pays for the taxi to the centre?');
    const secondThread = await threadOf(second);
    expect(forumTopic(app.api, STAFF_CHAT, firstThread)?.closed).toBe(true);
    expect(inThread(secondThread).map((m) => m.text).join('\n')).toContain('Citizen: And who pays for the taxi');
    await untilDeliveryIdle(app.config);

    await eraseData(chat);
    for (const threadId of [firstThread, secondThread]) {
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
      expect(inThread(threadId)).toEqual([]);
      expect(membersInThread(threadId)).toEqual([]);
      expect(deletions(threadId)).toHaveLength(1);
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true, told: false });
    }
    // Nothing was posted about the deletion (there is no topic left to post in), nor anywhere else in the group.
    expect(JSON.stringify(app.api.visibleMessages(STAFF_CHAT))).not.toMatch(/Aigerim|Abay 12|cerebral palsy|taxi/);
    expect(threadText(app, secondThread).some((line) => line.includes('deleted their data'))).toBe(false);
    expect(await retryErasedTopics(app.bot.deps)).toBe(0);
  });

  it('Telegram refusing the deletion (no "delete messages" right): the topic is told and closed, as before', async () => {
    const { ref, threadId } = await erasedWithoutTheRight(5402, 'Is there a sign language course in Shymkent?');
    expect(inThread(threadId).map((m) => m.text)).toContain(`The person who asked ${ref} deleted their data: the question is gone and this topic is closed.`);
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: false, deleteRefused: true, told: true, closed: true });
    // Done: the tick does not try to delete it again and again.
    await retryErasedTopics(app.bot.deps);
    expect(deletions(threadId)).toHaveLength(1);
    // An operator writing there later is told it reached nobody.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Yes, at the deaf society.', { enqueue: false }));
    expect(inThread(threadId).map((m) => m.text)).toContain(`The person who asked ${ref} deleted their data, so this message was not sent to anyone. The question is gone.`);
  });

  it('Telegram away (502) at the deletion: the reminder tick deletes the topic, once', async () => {
    const chat = 5403;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who repairs hearing aids in Taraz?');
    const threadId = await threadOf(ref);
    app.api.failNext('deleteForumTopic', 502, 'Bad Gateway');
    await eraseData(chat);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeDefined();
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: false, deleteRefused: false, told: false, closed: false });
    // Not the fallback: nothing was told or closed while Telegram was away.
    expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(false);
    expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    expect(inThread(threadId)).toEqual([]);
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
    expect(await retryErasedTopics(app.bot.deps)).toBe(0);
    expect(deletions(threadId)).toHaveLength(2);
    expect(app.api.callsOf('closeForumTopic', STAFF_CHAT).filter((c) => c.payload.message_thread_id === threadId)).toEqual([]);
  });

  it('a 429 at the deletion is also left for the tick, not taken for a refusal', async () => {
    const chat = 5404;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where is the nearest rehabilitation centre?');
    const threadId = await threadOf(ref);
    app.api.failNext('deleteForumTopic', 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    await eraseData(chat);
    expect(await erasedRecord(threadId)).toMatchObject({ deleteRefused: false, closed: false });
    expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
  });

  it('a process stopped after the questions were deleted and before the topic was: the next tick deletes it', async () => {
    const chat = 5405;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I apply for a sign language interpreter?');
    const threadId = await threadOf(ref);
    // What the erasure does up to the deletion of the topics, and no further.
    const { inquiries } = app.bot.services;
    await recordErasedTopics(app.bot.deps, await inquiries.allForUser(chat));
    await inquiries.eraseForUser(chat);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeDefined();
    expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
  });

  it('a process stopped after Telegram deleted the topic and before noting it: the next tick finds it gone and notes it, posting nothing', async () => {
    const chat = 5406;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Can my mother get a free wheelchair?');
    const threadId = await threadOf(ref);
    const erased = app.bot.services.inquiries.erasedTopics;
    const mark = vi.spyOn(erased, 'mark').mockRejectedValueOnce(new Error('FerretDB is not answering'));
    await eraseData(chat);
    mark.mockRestore();
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: false, closed: false });
    const posts = app.api.callsOf('sendMessage', STAFF_CHAT).length;
    expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, deleteRefused: false, closed: true });
    // The second deletion found the topic gone (400): no line, no close, nothing posted.
    expect(app.api.callsOf('sendMessage', STAFF_CHAT)).toHaveLength(posts);
    expect(app.api.callsOf('closeForumTopic', STAFF_CHAT).filter((c) => c.payload.message_thread_id === threadId)).toEqual([]);
  });

  it('an operator answering while Telegram was away at the deletion: the topic is deleted then, and nobody is told or answered', async () => {
    const chat = 5407;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Does the city pay for a sign language interpreter?');
    const threadId = await threadOf(ref);
    app.api.failNext('deleteForumTopic', 502, 'Bad Gateway');
    await eraseData(chat);
    const sentBefore = app.api.messagesTo(chat).length;
    const posts = app.api.callsOf('sendMessage', STAFF_CHAT).length;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Yes, up to 40 hours a year.', { enqueue: false }));
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    expect(membersInThread(threadId)).toEqual([]);
    expect(app.api.callsOf('sendMessage', STAFF_CHAT)).toHaveLength(posts);
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
    // A message written just before the deletion and handled after it: nothing to post, nowhere to post it.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'And 20 more for a student.', { enqueue: false }));
    expect(app.api.callsOf('sendMessage', STAFF_CHAT)).toHaveLength(posts);
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(chat)).toHaveLength(sentBefore);
  });

  it('an operator answering at the very moment of the erasure: the topic ends deleted, and the answer reaches the person at most once', async () => {
    const chat = 5408;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where do I get a disability certificate renewed?');
    const threadId = await threadOf(ref);
    await app.command(chat, 'mydata');
    await app.tapLike(chat, 'Delete all my data');
    const answer = groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'At the district medical commission, room 5.', { enqueue: false });
    await Promise.all([app.tapLike(chat, 'Yes, delete everything'), app.send(answer)]);
    await retryErasedTopics(app.bot.deps);
    await untilDeliveryIdle(app.config);
    expect(await app.bot.services.inquiries.listForUser(chat)).toEqual([]);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    expect(inThread(threadId)).toEqual([]);
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
    expect(app.api.messagesTo(chat).filter((m) => m.text?.includes('room 5'))).toHaveLength(
      app.api.messagesTo(chat).some((m) => m.text?.includes('room 5')) ? 1 : 0,
    );
  });

  describe('topics that could only be closed: asked again once a day until Telegram deletes them', () => {
    const DAY = 24 * 3600_000;
    /** The bot's deps with its clock moved on: the tick as it runs that much later. */
    const later = (ms: number) => ({ ...app.bot.deps, now: () => new Date(Date.now() + ms) });
    const staffPosts = () => app.api.callsOf('sendMessage', STAFF_CHAT).length;
    const closings = (threadId: number) => app.api.callsOf('closeForumTopic', STAFF_CHAT).filter((c) => c.payload.message_thread_id === threadId);


    it('the right granted later: the topic is deleted at the next try a day on, not before, and nothing is posted', async () => {
      const { threadId } = await erasedWithoutTheRight(5411, 'My name is Dana Abenova, my daughter is deaf: is there a school in Atyrau?');
      const retryAt = (await erasedRecord(threadId))!.retryDeleteAt!;
      expect(retryAt.getTime()).toBeGreaterThan(Date.now() + DAY - 60_000);
      const posts = staffPosts();
      // The right is there now, but the topic was asked today: not again before the day is over.
      await retryErasedTopics(app.bot.deps);
      await retryErasedTopics(later(DAY - 60_000));
      expect(deletions(threadId)).toHaveLength(1);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeDefined();
      expect(await retryErasedTopics(later(DAY + 60_000))).toBeGreaterThanOrEqual(1);
      expect(deletions(threadId)).toHaveLength(2);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
      expect(inThread(threadId)).toEqual([]);
      expect(JSON.stringify(app.api.visibleMessages(STAFF_CHAT))).not.toMatch(/Dana Abenova|Atyrau/);
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
      // Told already at the erasure: the retry posts nothing and closes nothing.
      expect(staffPosts()).toBe(posts);
      expect(closings(threadId)).toHaveLength(1);
      // Deleted: never asked again.
      await retryErasedTopics(later(3 * DAY));
      expect(deletions(threadId)).toHaveLength(2);
    });

    it('refused again: the topic waits another day; Telegram away: it stays due for the next tick', async () => {
      const { threadId } = await erasedWithoutTheRight(5412, 'Where can I get a hearing aid for free?');
      app.api.withholdRight(STAFF_CHAT, 'can_delete_messages');
      try {
        await retryErasedTopics(later(DAY + 60_000));
        expect(deletions(threadId)).toHaveLength(2);
        // Asked at "now + a day": the next try is a day after that.
        expect((await erasedRecord(threadId))!.retryDeleteAt!.getTime()).toBeGreaterThan(Date.now() + 2 * DAY);
        await retryErasedTopics(later(2 * DAY));
        expect(deletions(threadId)).toHaveLength(2);
      } finally {
        app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false);
      }
      const due = (await erasedRecord(threadId))!.retryDeleteAt!;
      app.api.failNext('deleteForumTopic', 502, 'Bad Gateway');
      await retryErasedTopics(later(2 * DAY + 120_000));
      expect(deletions(threadId)).toHaveLength(3);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeDefined();
      // Not taken for a refusal: still due, asked at the very next tick.
      expect((await erasedRecord(threadId))!.retryDeleteAt).toEqual(due);
      await retryErasedTopics(later(2 * DAY + 180_000));
      expect(deletions(threadId)).toHaveLength(4);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true });
    });

    it('erasures from before the bot deleted topics (told and closed, no `deleted`): their topics are deleted by the tick, with nothing posted', async () => {
      const olds: number[] = [];
      for (const [chat, question] of [
        [5413, 'My name is Yerlan Dosov, I use a wheelchair: which buses are low-floor?'],
        [5414, 'Can my brother with autism get a personal assistant?'],
      ] as const) {
        await onboard(app, chat);
        const ref = await askPerson(app, chat, question);
        const threadId = await threadOf(ref);
        // What "Delete my data" did then: the line, the topic closed, the question gone, and a record in the old shape.
        await app.bot.deps.telegram!.call('sendMessage', { chat_id: STAFF_CHAT, message_thread_id: threadId, text: `The person who asked ${ref} deleted their data: the question is gone and this topic is closed.` });
        await app.bot.deps.telegram!.call('closeForumTopic', { chat_id: STAFF_CHAT, message_thread_id: threadId });
        await app.bot.services.inquiries.eraseForUser(chat);
        const at = new Date(Date.now() - 90 * DAY);
        // The erasure now records the topic itself (under the question's lock): replaced by the old shape.
        const records = app.bot.deps.connection.collection('inquiryerasedtopics');
        await records.deleteOne({ threadId });
        await records.insertOne({ threadId, ref, told: true, closed: true, createdAt: at, updatedAt: at });
        olds.push(threadId);
      }
      // The first start of this release notes their group: the one configured (topic-group-backfill.ts).
      await recordTopicGroups(app.mongo, startUpLocks(app), { STAFF_CHAT_ID: STAFF_CHAT });
      const posts = staffPosts();
      expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(2);
      for (const threadId of olds) {
        expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
        expect(inThread(threadId)).toEqual([]);
        expect(deletions(threadId)).toHaveLength(1);
        expect(closings(threadId)).toHaveLength(1);
        expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
      }
      expect(JSON.stringify(app.api.visibleMessages(STAFF_CHAT))).not.toMatch(/Yerlan Dosov|low-floor|autism/);
      expect(staffPosts()).toBe(posts);
    });

    it('two processes\' ticks at once: the topic is deleted once, and nothing is posted', async () => {
      const { threadId } = await erasedWithoutTheRight(5415, 'Is there a sign language interpreter at the akimat?');
      const posts = staffPosts();
      const tick = later(DAY + 60_000);
      const deleted = await Promise.all([retryErasedTopics(tick), retryErasedTopics(tick), retryErasedTopics(tick)]);
      expect(deleted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      expect(deletions(threadId)).toHaveLength(2);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
      expect(staffPosts()).toBe(posts);
      expect(closings(threadId)).toHaveLength(1);
    });

    it('the record of a deleted topic is kept a day, then removed', async () => {
      const chat = 5416;
      await onboard(app, chat);
      const threadId = await threadOf(await askPerson(app, chat, 'Who pays for a guide dog?'));
      await eraseData(chat);
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true });
      // One deleted before the deletion's time was kept: it goes by its last write, a week ago.
      const weekAgo = new Date(Date.now() - 7 * DAY);
      await app.bot.deps.connection.collection('inquiryerasedtopics').insertOne({ threadId: 990_001, ref: 'Q-2026-000001', deleted: true, deleteRefused: false, told: false, closed: true, createdAt: weekAgo, updatedAt: weekAgo });
      await retryErasedTopics(later(DAY - 60_000));
      expect(await erasedRecord(990_001)).toBeNull();
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true });
      await retryErasedTopics(later(DAY + 60_000));
      expect(await erasedRecord(threadId)).toBeNull();
      // A late message in the deleted topic is handled as before: nothing posted, nobody told.
      const posts = staffPosts();
      await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Try the blind society.', { enqueue: false }));
      expect(staffPosts()).toBe(posts);
    });

    it('Redis away at a tick: the refused topics wait for the next, and the records of deleted ones are still removed', async () => {
      const monthAgo = new Date(Date.now() - 30 * DAY);
      const records = app.bot.deps.connection.collection('inquiryerasedtopics');
      await records.insertOne({ chatId: STAFF_CHAT, threadId: 990_002, ref: 'Q-2026-000002', deleted: true, deleteRefused: false, told: false, closed: true, createdAt: monthAgo, updatedAt: monthAgo });
      // A refused one due again: asking Telegram takes a Redis claim first.
      await records.insertOne({ chatId: STAFF_CHAT, threadId: 990_003, ref: 'Q-2026-000003', deleted: false, deleteRefused: true, told: true, closed: true, retryDeleteAt: monthAgo, createdAt: monthAgo, updatedAt: monthAgo });
      // A real client whose connection is gone: every command fails, as with the server down.
      const away = createAppRedis({ REDIS_URL: testRedisUrl(), REDIS_AUTOPIPELINE: true });
      await away.quit();
      await retryErasedTopics({ ...later(0), redis: away });
      expect(await erasedRecord(990_002)).toBeNull();
      expect(await erasedRecord(990_003)).toMatchObject({ deleted: false, closed: true });
      expect(deletions(990_003)).toHaveLength(0);
    });
  });
});
