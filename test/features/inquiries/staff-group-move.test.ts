// Staff move to another group (STAFF_CHAT_ID changed, the bot restarted): open questions get topics
// in the new group with the conversation so far, follow-ups and answers use them, and the topics
// left in the former group are deleted, slowly and without a post. The whole bot, the real queue
// and worker, Redis and FerretDB; one local Bot API for both groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forumTopic, groupText, messagesInThread } from '../../support/group-updates.js';
import { onboard } from '../../support/app-harness.js';
import { retryErasedTopics } from '../../../src/features/inquiries/erased-topics.js';
import { moveToCurrentGroup, QuietGate } from '../../../src/features/inquiries/staff-group-move.js';
import { erasedTopicModel } from '../../../src/features/inquiries/erased-topic.model.js';
import { recordTopicGroups } from '../../../src/features/inquiries/topic-group-backfill.js';
import { inquiryModel } from '../../../src/features/inquiries/inquiry.model.js';
import { startUpLocks } from '../../support/start-up-locks.js';
import { askPerson, SHORT_CHAT_GAP_MS, STAFF_CHAT, startLiveRelay, until, type LiveRelay, type SharedWith } from './helpers.js';

const OPERATOR = 7301;
const OLD = STAFF_CHAT;
const NEW = -1009876543210;
const DAY = 24 * 3600_000;

describe('moving the staff group', () => {
  let first: LiveRelay;
  const restarts: LiveRelay[] = [];
  let shared: SharedWith;

  beforeAll(async () => {
    first = await startLiveRelay('inq_staff_move', OPERATOR, {}, SHORT_CHAT_GAP_MS);
    shared = { mongoUri: first.app.mongoUri, redisPrefix: first.app.config.REDIS_PREFIX, api: first.app.api };
  });
  afterAll(async () => {
    for (const relay of restarts.reverse()) await relay.close();
    await first?.close();
  });

  /** The bot started again with `chatId` as its staff group, over the same records and Telegram. */
  async function restartWith(chatId: number): Promise<LiveRelay> {
    const relay = await startLiveRelay('inq_staff_move', OPERATOR, { STAFF_CHAT_ID: String(chatId) }, SHORT_CHAT_GAP_MS, shared);
    restarts.push(relay);
    return relay;
  }

  const api = () => first.app.api;
  const threadLines = (chatId: number, threadId: number) => messagesInThread(api(), chatId, threadId).map((m) => m.text ?? '');
  const question = (relay: LiveRelay, ref: string) => relay.app.bot.services.inquiries.get(ref);
  const postsInto = (chatId: number) => api().callsOf('sendMessage', chatId).length + api().callsOf('copyMessage', chatId).length + api().callsOf('closeForumTopic', chatId).length;
  const leftRecord = (chatId: number, threadId: number) => erasedTopicModel(first.app.mongo).findOne({ chatId, threadId }).lean();
  const topicsMade = (chatId: number, ref: string) => api().callsOf('createForumTopic', chatId).filter((c) => String(c.payload.name).startsWith(ref));

  let openRef = '';
  let closedRef = '';
  let oldOpenThread = 0;
  let oldClosedThread = 0;
  let moved: LiveRelay;
  let stoppedRef = '';

  it('the first start of this release notes the configured group for topics noted before (and the erased topics\' index of the thread alone goes)', async () => {
    const relay = first;
    await onboard(relay.app, 5700);
    const ref = await askPerson(relay.app, 5700, 'Is there a ramp at the office?');
    const threadId = (await question(relay, ref))!.threadId!;
    // As the release before this one wrote it: no group. And the erased topics' index of then.
    await inquiryModel(first.app.mongo).updateOne({ ref }, { $unset: { staffChatId: 1 } });
    const erased = erasedTopicModel(first.app.mongo).collection;
    await erased.insertOne({ threadId: 999_999, ref: 'Q-2025-000001', told: true, closed: true });
    await erased.dropIndex('chatId_1_threadId_1');
    await erased.createIndex({ threadId: 1 }, { unique: true, name: 'threadId_1' });
    await recordTopicGroups(first.app.mongo, startUpLocks(relay.app), { STAFF_CHAT_ID: OLD });
    expect(await question(relay, ref)).toMatchObject({ threadId, staffChatId: OLD });
    expect(await erased.findOne({ threadId: 999_999 })).toMatchObject({ chatId: OLD });
    const indexes = (await erased.indexes()).map((i) => i.name);
    expect(indexes).not.toContain('threadId_1');
    expect(indexes).toContain('chatId_1_threadId_1');
    await erased.deleteOne({ threadId: 999_999 });
    // Out of the way of the move below.
    await inquiryModel(first.app.mongo).deleteOne({ ref });
    api().deleteTopic(OLD, threadId);
  });

  it('an open question gets a topic in the new group with the conversation so far; answers and follow-ups use it; the former topics are deleted, nothing posted there', async () => {
    const app = first.app;
    await onboard(app, 5701);
    openRef = await askPerson(app, 5701, 'My IIN is 900101300123, where can my son get a wheelchair?');
    oldOpenThread = (await question(first, openRef))!.threadId!;
    await app.send(groupText(app.api, OLD, oldOpenThread, OPERATOR, 'At the social protection office, bring the certificate.', { enqueue: false }));
    await until('the first answer', () => first.seen(5701, 'At the social protection office'));
    await onboard(app, 5702);
    closedRef = await askPerson(app, 5702, 'Is there a sign language course in Shymkent?');
    oldClosedThread = (await question(first, closedRef))!.threadId!;
    await app.send(groupText(app.api, OLD, oldClosedThread, OPERATOR, '/close', { enqueue: false }));
    expect(await question(first, openRef)).toMatchObject({ staffChatId: OLD });
    await first.stop();

    moved = await restartWith(NEW);
    const postsBefore = postsInto(OLD);
    expect(await moveToCurrentGroup(moved.app.bot.deps)).toBe(2);
    const record = (await question(moved, openRef))!;
    expect(record).toMatchObject({ staffChatId: NEW });
    expect(record.topicOwed).toBeUndefined();
    const newThread = record.threadId!;
    expect(forumTopic(api(), NEW, newThread)?.name).toContain(openRef);
    const lines = threadLines(NEW, newThread);
    expect(lines[0]).toContain(`Question ${openRef}`);
    expect(lines.some((l) => l.startsWith('Citizen: My IIN is [ID or card number hidden, ends …0123]'))).toBe(true);
    expect(lines).toContain('Operator (before the staff group changed): At the social protection office, bring the certificate.');
    // The closed question gets no new topic; it has none any more (its former one is to be deleted).
    expect(topicsMade(NEW, closedRef)).toEqual([]);
    expect((await question(moved, closedRef))?.threadId).toBeUndefined();

    // The operators answer in the new topic; the person's follow-up goes there.
    await moved.app.send(groupText(api(), NEW, newThread, OPERATOR, 'Also ask about the home visit.', { enqueue: false }));
    await until('the answer from the new group', () => moved.seen(5701, 'Also ask about the home visit'));
    await moved.app.say(5701, 'Thank you, which documents exactly?');
    expect(threadLines(NEW, newThread)).toContain('Citizen: Thank you, which documents exactly?');
    // An answer written in the former group's topic is not relayed (that group may hold people who are not staff any more).
    await moved.app.send(groupText(api(), OLD, oldOpenThread, OPERATOR, 'Written in the old group.', { enqueue: false }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(moved.seen(5701, 'Written in the old group')).toBe(false);

    // The former topics are deleted by the tick, nothing posted or closed there.
    await retryErasedTopics(moved.app.bot.deps);
    expect(forumTopic(api(), OLD, oldOpenThread)).toBeUndefined();
    expect(forumTopic(api(), OLD, oldClosedThread)).toBeUndefined();
    expect(await leftRecord(OLD, oldOpenThread)).toMatchObject({ left: true, deleted: true });
    expect(postsInto(OLD)).toBe(postsBefore);
    // Nothing left to move.
    expect(await moveToCurrentGroup(moved.app.bot.deps)).toBe(0);
  });

  it('a process stopped mid-move (the former topic left, no new one yet) and Telegram away: a later pass makes the one topic', async () => {
    const app = moved.app;
    await onboard(app, 5703);
    const ref = await askPerson(app, 5703, 'Who repairs hearing aids in Taraz?');
    stoppedRef = ref;
    const thread = (await question(moved, ref))!.threadId!;
    await moved.stop();

    const back = await restartWith(OLD);
    const { inquiries } = back.app.bot.services;
    // What a process did before it was killed: the topic in NEW left (recorded for deletion), nothing made in OLD.
    expect(await inquiries.leaveTopic(ref, NEW, thread)).toBe(true);
    expect(await question(back, ref)).toMatchObject({ topicOwed: true });
    expect((await question(back, ref))?.threadId).toBeUndefined();
    // The next pass finds Telegram away at the creation: still owed.
    api().failNext('createForumTopic', 502, 'Bad Gateway', undefined, (p) => String(p.name).startsWith(ref));
    await moveToCurrentGroup(back.app.bot.deps);
    expect(await question(back, ref)).toMatchObject({ topicOwed: true });
    // The one after makes it, once.
    await moveToCurrentGroup(back.app.bot.deps);
    const record = (await question(back, ref))!;
    expect(record).toMatchObject({ staffChatId: OLD });
    expect(record.topicOwed).toBeUndefined();
    expect(api().topics(OLD).filter((t) => t.name.startsWith(ref))).toHaveLength(1);
    expect(threadLines(OLD, record.threadId!).some((l) => l.includes('Citizen: Who repairs hearing aids in Taraz?'))).toBe(true);
    await back.stop();
  });

  it('two processes starting at once make one topic per question', async () => {
    const [a, b] = [await restartWith(NEW), await restartWith(NEW)];
    const refs = [openRef, stoppedRef];
    const before = refs.map((ref) => topicsMade(NEW, ref).length);
    await Promise.all([moveToCurrentGroup(a.app.bot.deps), moveToCurrentGroup(b.app.bot.deps)]);
    await Promise.all([moveToCurrentGroup(a.app.bot.deps), moveToCurrentGroup(b.app.bot.deps)]);
    for (const [i, ref] of refs.entries()) {
      expect(topicsMade(NEW, ref).length - before[i]!).toBe(1);
      const record = (await question(a, ref))!;
      expect(record.staffChatId).toBe(NEW);
      expect(threadLines(NEW, record.threadId!).filter((l) => l.startsWith(`Question ${ref}`))).toHaveLength(1);
    }
    await a.stop();
    await b.stop();
  });

  it('Telegram refusing the deletion in the former group: asked again a day later, never posted into', async () => {
    // Back to the group of before: its topics left by the last move are in the staff group again.
    const relay = await restartWith(OLD);
    for (const group of [NEW, OLD]) api().withholdRight(group, 'can_delete_messages');
    await moveToCurrentGroup(relay.app.bot.deps);
    const postsBefore = [postsInto(NEW), postsInto(OLD)];
    const left = await erasedTopicModel(first.app.mongo).find({ left: true, deleted: { $ne: true } }).lean();
    expect(left.filter((t) => t.chatId === NEW).length).toBeGreaterThanOrEqual(2);
    const leftHere = left.find((t) => t.chatId === OLD);
    expect(leftHere).toBeDefined();
    for (let i = 0; i < 3; i++) await retryErasedTopics(relay.app.bot.deps);
    for (const topic of left) {
      expect(forumTopic(api(), topic.chatId!, topic.threadId)).toBeDefined();
      const record = await leftRecord(topic.chatId!, topic.threadId);
      expect(record).toMatchObject({ deleteRefused: true, deleted: false });
      expect(record!.retryDeleteAt!.getTime()).toBeGreaterThan(Date.now() + DAY - 60_000);
    }
    // An operator writing in a topic a move left in what is the staff group again: nothing posted there either.
    await relay.app.send(groupText(api(), OLD, leftHere!.threadId, OPERATOR, 'Hello, is anyone here?', { enqueue: false }));
    expect([postsInto(NEW), postsInto(OLD)]).toEqual(postsBefore);
    // The right given back, a day later: deleted.
    for (const group of [NEW, OLD]) api().withholdRight(group, 'can_delete_messages', false);
    await erasedTopicModel(first.app.mongo).updateMany({ left: true }, { $set: { retryDeleteAt: new Date(Date.now() - 1000) } });
    for (let i = 0; i < 3; i++) await retryErasedTopics(relay.app.bot.deps);
    for (const topic of left) expect(forumTopic(api(), topic.chatId!, topic.threadId)).toBeUndefined();
    expect([postsInto(NEW), postsInto(OLD)]).toEqual(postsBefore);
    await relay.stop();
  });

  it('the bot removed from the former group: tried daily for a bounded time, then given up', async () => {
    const relay = await restartWith(NEW);
    api().blockedChats.add(OLD);
    try {
      await moveToCurrentGroup(relay.app.bot.deps);
      const left = await erasedTopicModel(first.app.mongo).find({ chatId: OLD, left: true, deleted: { $ne: true } }).lean();
      expect(left.length).toBeGreaterThanOrEqual(1);
      await retryErasedTopics(relay.app.bot.deps);
      const threadId = left[0]!.threadId;
      expect(await leftRecord(OLD, threadId)).toMatchObject({ deleteRefused: true });
      // A month of refusals later: given up, not asked again.
      await erasedTopicModel(first.app.mongo).updateMany({ chatId: OLD }, { $set: { refusedSince: new Date(Date.now() - 31 * DAY), retryDeleteAt: new Date(Date.now() - 1000) } });
      for (let i = 0; i < 3; i++) await retryErasedTopics(relay.app.bot.deps);
      expect(await leftRecord(OLD, threadId)).toMatchObject({ gaveUp: true });
      const asked = api().callsOf('deleteForumTopic', OLD).length;
      await erasedTopicModel(first.app.mongo).updateMany({ chatId: OLD }, { $set: { retryDeleteAt: new Date(Date.now() - 1000) } });
      await retryErasedTopics(relay.app.bot.deps);
      expect(api().callsOf('deleteForumTopic', OLD).length).toBe(asked);
    } finally {
      api().blockedChats.delete(OLD);
      await relay.stop();
    }
  });
});

describe('the move pass stops looking after a quiet day', () => {
  it('looks until its passes found nothing for a day, and again as soon as one finds something', () => {
    const gate = new QuietGate();
    const start = Date.parse('2026-12-03T10:00:00Z');
    expect(gate.shouldLook(start)).toBe(true);
    gate.saw(true, start);
    gate.saw(false, start + 60_000);
    expect(gate.shouldLook(start + 60_000 + DAY - 1)).toBe(true);
    gate.saw(true, start + 2 * 60_000);
    // Quiet again from here: a day counts from the first empty pass after the last find.
    gate.saw(false, start + 3 * 60_000);
    gate.saw(false, start + 4 * 60_000);
    expect(gate.shouldLook(start + 3 * 60_000 + DAY - 1)).toBe(true);
    expect(gate.shouldLook(start + 3 * 60_000 + DAY)).toBe(false);
  });
});
