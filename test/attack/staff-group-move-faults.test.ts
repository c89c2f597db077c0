// Attacks on moving the staff group (STAFF_CHAT_ID changed, or unset): "Delete my data" with no
// staff group configured any more, a new group where the bot may not create topics, a follow-up
// written while the move pass moves its question, and a question closed while it is being moved.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { forumTopic, messagesInThread } from '../support/group-updates.js';
import { onboard } from '../support/app-harness.js';
import { moveToCurrentGroup } from '../../src/features/inquiries/staff-group-move.js';
import { retryErasedTopics } from '../../src/features/inquiries/erased-topics.js';
import { closeInquiry } from '../../src/features/inquiries/relay.js';
import { afterTopicMade, askPerson, eraseMyData, movingBot, STAFF_CHAT } from '../features/inquiries/helpers.js';

const OPERATOR = 7321;
const OLD = STAFF_CHAT;
const NEW = -1005550001111;

const moving = (name: string) => movingBot(name, OPERATOR);

describe('attack: "Delete my data" after STAFF_CHAT_ID was unset', () => {
  const bot = moving('atk_move_unset');
  afterAll(() => bot.closeAll());

  it('the question\'s topic in the group it was in is deleted all the same', async () => {
    const first = await bot.start();
    await onboard(first.app, 5811);
    const ref = await askPerson(first.app, 5811, 'I am Aigerim Sadykova, where do I get a hearing aid?');
    const threadId = (await first.app.bot.services.inquiries.get(ref))!.threadId!;
    await first.stop();

    const alone = await bot.restart(undefined);
    expect(alone.app.bot.deps.config.STAFF_CHAT_ID).toBeUndefined();
    await eraseMyData(alone.app, 5811);
    await retryErasedTopics(alone.app.bot.deps);
    expect(forumTopic(first.app.api, OLD, threadId)).toBeUndefined();
    expect(JSON.stringify(first.app.api.visibleMessages(OLD))).not.toMatch(/Aigerim Sadykova/);
  });
});

describe('attack: the new group refuses the bot topics (no "manage topics" right)', () => {
  const bot = moving('atk_move_refused');
  afterAll(() => bot.closeAll());
  afterEach(() => vi.restoreAllMocks());
  const REFUSAL = 'Bad Request: not enough rights to create a topic';
  const WARNING = /refuses the bot new topics/;

  it('the pass asks again after a wait doubling up to an hour and warns once a step, keeps the former topics, and moves everything within the hour once the right is given', async () => {
    const first = await bot.start();
    const refs: string[] = [];
    for (const chat of [5821, 5822, 5823, 5824]) {
      await onboard(first.app, chat);
      refs.push(await askPerson(first.app, chat, `Question number ${chat} about a wheelchair`));
    }
    await first.stop();

    const relay = await bot.restart(NEW);
    const api = first.app.api;
    const deps = relay.app.bot.deps;
    let refusing = true;
    for (let i = 0; i < 300; i++) api.failNext('createForumTopic', 400, REFUSAL, undefined, (p) => refusing && p.chat_id === NEW);
    const warn = vi.spyOn(deps.logger, 'warn');
    const warnings = () => warn.mock.calls.filter((call) => WARNING.test(String(call[1]))).length;
    const { inquiries } = relay.app.bot.services;
    // Two and a half hours of passes, one a minute, on the pass's clock.
    const start = Date.now();
    const minute = (n: number) => new Date(start + n * 60_000);
    for (let m = 0; m <= 150; m++) await moveToCurrentGroup(deps, minute(m));
    // Asked at 0, 2, 6, 14, 30, 62 and 122 minutes: the wait doubles from 2 minutes up to an hour.
    const asked = api.callsOf('createForumTopic', NEW).length;
    expect(asked).toBe(7);
    // Once a step in the log, and not as any failed creation.
    expect(warnings()).toBe(asked);
    expect(warn.mock.calls.filter((call) => String(call[1]).includes('could not create the forum topic'))).toEqual([]);
    // Operators keep the former topics they were reading (nothing made to replace them): at most one left.
    const stillThere = [];
    for (const ref of refs) if ((await inquiries.get(ref))?.staffChatId === OLD) stillThere.push(ref);
    expect(stillThere.length).toBeGreaterThanOrEqual(refs.length - 1);
    for (const ref of refs) expect((await inquiries.get(ref))?.status).not.toBe('closed');

    // The right given just after the ask at 122 minutes: picked up within the hour, all moved.
    refusing = false;
    let m = 151;
    const allMoved = async () => (await Promise.all(refs.map((ref) => inquiries.get(ref)))).every((q) => q?.staffChatId === NEW);
    for (; m <= 122 + 60 + 3 && !(await allMoved()); m++) await moveToCurrentGroup(deps, minute(m));
    expect(await allMoved()).toBe(true);
    expect(m).toBeLessThanOrEqual(122 + 60 + 3);
    for (const ref of refs) expect(api.topics(NEW).filter((t) => t.name.startsWith(ref))).toHaveLength(1);
  });
});

describe('attack: a person writing while the new group refuses the bot topics', () => {
  const bot = moving('atk_move_refused_writes');
  afterAll(() => bot.closeAll());

  it('moves their question at once when Telegram allows it, and the pass then moves the others without waiting', async () => {
    const first = await bot.start();
    const refs: string[] = [];
    for (const chat of [5825, 5826, 5827]) {
      await onboard(first.app, chat);
      refs.push(await askPerson(first.app, chat, `Question number ${chat} about a ramp`));
    }
    await first.stop();

    const relay = await bot.restart(NEW);
    const api = first.app.api;
    const deps = relay.app.bot.deps;
    let refusing = true;
    for (let i = 0; i < 50; i++) api.failNext('createForumTopic', 400, 'Bad Request: not enough rights to create a topic', undefined, (p) => refusing && p.chat_id === NEW);
    const { inquiries } = relay.app.bot.services;
    const start = Date.now();
    const minute = (n: number) => new Date(start + n * 60_000);
    for (let m = 0; m <= 7; m++) await moveToCurrentGroup(deps, minute(m));
    // Waiting until minute 14 now. The right is given; the first person writes.
    refusing = false;
    await relay.app.say(5825, 'Is anyone there? It is for my father');
    const moved = (await inquiries.get(refs[0]!))!;
    expect(moved.staffChatId).toBe(NEW);
    const lines = messagesInThread(api, NEW, moved.threadId!).map((msg) => msg.text ?? '').filter((l) => l.startsWith('Citizen:'));
    expect(lines).toEqual(['Citizen: Question number 5825 about a ramp', 'Citizen: Is anyone there? It is for my father']);
    // A topic made: the group takes them again, and the next pass does not wait out the rest.
    await moveToCurrentGroup(deps, minute(8));
    for (const ref of refs) expect((await inquiries.get(ref))?.staffChatId).toBe(NEW);
  });
});

describe('attack: the person writes while the move pass moves their question', () => {
  const bot = moving('atk_move_follow_up');
  afterAll(() => bot.closeAll());
  afterEach(() => vi.restoreAllMocks());

  it('a follow-up read against the former topic is posted in the new one at once, and in order', async () => {
    const first = await bot.start();
    await onboard(first.app, 5831);
    const ref = await askPerson(first.app, 5831, 'Where is the nearest rehabilitation centre?');
    await first.stop();

    const relay = await bot.restart(NEW);
    const { inquiries } = relay.app.bot.services;
    // The pass runs after the person's message found its question (in the former group) and before it is stored.
    const add = inquiries.addCitizenMessage.bind(inquiries);
    vi.spyOn(inquiries, 'addCitizenMessage').mockImplementationOnce(async (...args: Parameters<typeof add>) => {
      await moveToCurrentGroup(relay.app.bot.deps);
      return add(...args);
    });
    await relay.app.say(5831, 'Second message: it is for my mother');
    vi.restoreAllMocks();
    await relay.app.say(5831, 'Third message: she is 70');
    const threadId = (await inquiries.get(ref))!.threadId!;
    const lines = messagesInThread(first.app.api, NEW, threadId).map((m) => m.text ?? '').filter((l) => l.startsWith('Citizen:'));
    expect(lines).toEqual([
      'Citizen: Where is the nearest rehabilitation centre?',
      'Citizen: Second message: it is for my mother',
      'Citizen: Third message: she is 70',
    ]);
  });
});

describe('attack: a question closed while it is being moved', () => {
  const bot = moving('atk_move_closed');
  afterAll(() => bot.closeAll());
  afterEach(() => vi.restoreAllMocks());

  it('its new topic does not stay open with Take and Close under the card', async () => {
    const first = await bot.start();
    await onboard(first.app, 5841);
    const ref = await askPerson(first.app, 5841, 'Can I get a sanatorium voucher this year?');
    await first.stop();

    const relay = await bot.restart(NEW);
    const deps = relay.app.bot.deps;
    afterTopicMade(deps.telegram!, () => closeInquiry(deps, ref, OPERATOR));
    await moveToCurrentGroup(deps);
    vi.restoreAllMocks();
    const record = (await relay.app.bot.services.inquiries.get(ref))!;
    expect(record.status).toBe('closed');
    const api = first.app.api;
    const made = api.topics(NEW).find((t) => t.name.startsWith(ref));
    if (made) {
      // Made before the close was seen: closed as a closed question's topic is, its card without buttons.
      expect(api.callsOf('closeForumTopic', NEW).map((c) => c.payload.message_thread_id)).toContain(made.threadId);
      const card = api.visibleMessages(NEW).find((m) => m.threadId === made.threadId && m.text?.startsWith(`Question ${ref}`));
      expect(card).toBeDefined();
      expect(card!.buttons.flat()).toEqual([]);
    }
  });
});

describe('attack: many open questions at a move', () => {
  const bot = moving('atk_move_pace');
  afterAll(() => bot.closeAll());

  it('move two a pass, so the new group is not sent more than Telegram takes in a minute', async () => {
    const first = await bot.start();
    const refs: string[] = [];
    for (const chat of [5841, 5842, 5843, 5844, 5845]) {
      await onboard(first.app, chat);
      refs.push(await askPerson(first.app, chat, `Question number ${chat} about a ramp`));
    }
    await first.stop();

    const relay = await bot.restart(NEW);
    const { inquiries } = relay.app.bot.services;
    const movedSoFar = async () => (await Promise.all(refs.map((ref) => inquiries.get(ref)))).filter((q) => q?.staffChatId === NEW).length;
    expect(await moveToCurrentGroup(relay.app.bot.deps)).toBe(2);
    expect(await movedSoFar()).toBe(2);
    expect(first.app.api.callsOf('createForumTopic', NEW)).toHaveLength(2);
    await moveToCurrentGroup(relay.app.bot.deps);
    await moveToCurrentGroup(relay.app.bot.deps);
    expect(await movedSoFar()).toBe(5);
  });
});

describe('attack: a thread id of the former group is another question\'s topic in the new group', () => {
  const bot = moving('atk_move_same_thread');
  afterAll(() => bot.closeAll());
  const ERASED = /deleted their data: the question is gone/;
  const TOLD_KEPT_MS = 30 * 24 * 3600_000;

  it('"Delete my data" there is told in the topic though the former group\'s topic of that id was told; what the previous release noted is still read', async () => {
    const first = await bot.start();
    const api = first.app.api;
    // Told (not deleted: the bot may not delete there) in the former group.
    api.withholdRight(OLD, 'can_delete_messages');
    // Other topics first, so that the new group can be brought to the same thread id below.
    for (let i = 0; i < 3; i++) await first.app.bot.deps.telegram!.call('createForumTopic', { chat_id: OLD, name: 'Other business' });
    await onboard(first.app, 5851);
    const oldRef = await askPerson(first.app, 5851, 'Where can I get crutches?');
    const threadId = (await first.app.bot.services.inquiries.get(oldRef))!.threadId!;
    await eraseMyData(first.app, 5851);
    expect(messagesInThread(api, OLD, threadId).some((m) => ERASED.test(m.text ?? ''))).toBe(true);
    await first.stop();

    const relay = await bot.restart(NEW);
    const { deps } = relay.app.bot;
    api.withholdRight(NEW, 'can_delete_messages');
    // Topics made in the new group until its next one has the same thread id.
    for (let made = 0; made < threadId - 1; ) {
      made = ((await deps.telegram!.call('createForumTopic', { chat_id: NEW, name: 'Other business' })) as { message_thread_id: number }).message_thread_id;
    }
    await onboard(relay.app, 5852);
    const ref = await askPerson(relay.app, 5852, 'Is there a free taxi for wheelchair users?');
    expect((await relay.app.bot.services.inquiries.get(ref))?.threadId).toBe(threadId);
    await eraseMyData(relay.app, 5852);
    await retryErasedTopics(deps);
    expect(messagesInThread(api, NEW, threadId).filter((m) => ERASED.test(m.text ?? ''))).toHaveLength(1);
    expect(forumTopic(api, NEW, threadId)?.closed).toBe(true);

    // The previous release, during a deploy, keyed its claim by the thread alone: a line it
    // posted (its note in FerretDB failed) is not posted again, and one it is posting is waited for.
    const legacy = (thread: number) => `${relay.app.config.REDIS_PREFIX}:inq:erased-telling:${thread}`;
    const asked: Record<number, number> = {};
    for (const chat of [5853, 5854]) {
      await onboard(relay.app, chat);
      asked[chat] = (await relay.app.bot.services.inquiries.get(await askPerson(relay.app, chat, `Question ${chat} about a ramp`)))!.threadId!;
    }
    await relay.app.redis.set(legacy(asked[5853]!), 'posted', 'PX', TOLD_KEPT_MS);
    await relay.app.redis.set(legacy(asked[5854]!), 'posting', 'PX', 5 * 60_000);
    for (const chat of [5853, 5854]) await eraseMyData(relay.app, chat);
    await retryErasedTopics(deps);
    const erasedLines = (thread: number) => messagesInThread(api, NEW, thread).filter((m) => ERASED.test(m.text ?? '')).length;
    const record = (thread: number) => deps.services.inquiries.erasedTopics.byThread({ chatId: NEW, threadId: thread });
    expect(erasedLines(asked[5853]!)).toBe(0);
    expect(await record(asked[5853]!)).toMatchObject({ told: true, closed: true });
    expect(erasedLines(asked[5854]!)).toBe(0);
    expect(await record(asked[5854]!)).toMatchObject({ told: false, closed: false });
    // The old process stopped without posting: its claim lapses, and the line goes out once.
    await relay.app.redis.del(legacy(asked[5854]!));
    await retryErasedTopics(deps);
    await retryErasedTopics(deps);
    expect(erasedLines(asked[5854]!)).toBe(1);
  });
});
