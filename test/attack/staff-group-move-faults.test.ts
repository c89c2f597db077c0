// Attacks on moving the staff group (STAFF_CHAT_ID changed, or unset): "Delete my data" with no
// staff group configured any more, a new group where the bot may not create topics, a follow-up
// written while the move pass moves its question, and a question closed while it is being moved.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { forumTopic, messagesInThread } from '../support/group-updates.js';
import { onboard } from '../support/app-harness.js';
import { moveToCurrentGroup } from '../../src/features/inquiries/staff-group-move.js';
import { retryErasedTopics } from '../../src/features/inquiries/erased-topics.js';
import { closeInquiry } from '../../src/features/inquiries/relay.js';
import { askPerson, eraseMyData, SHORT_CHAT_GAP_MS, STAFF_CHAT, startLiveRelay, type LiveRelay, type SharedWith } from '../features/inquiries/helpers.js';

const OPERATOR = 7321;
const OLD = STAFF_CHAT;
const NEW = -1005550001111;

/** A bot, then the same bot started again over its records with another staff group (or none). */
function moving(name: string) {
  const relays: LiveRelay[] = [];
  let first: LiveRelay | undefined;
  return {
    async start(): Promise<LiveRelay> {
      first = await startLiveRelay(name, OPERATOR, {}, SHORT_CHAT_GAP_MS);
      relays.push(first);
      return first;
    },
    async restart(staffChatId: number | undefined): Promise<LiveRelay> {
      const shared: SharedWith = { mongoUri: first!.app.mongoUri, redisPrefix: first!.app.config.REDIS_PREFIX, api: first!.app.api };
      // No staff group at all: the variable left out of the environment.
      const env = { STAFF_CHAT_ID: staffChatId === undefined ? (undefined as unknown as string) : String(staffChatId) };
      const relay = await startLiveRelay(name, OPERATOR, env, SHORT_CHAT_GAP_MS, shared);
      relays.push(relay);
      return relay;
    },
    async closeAll(): Promise<void> {
      for (const relay of relays.slice(1).reverse()) await relay.close();
      await first?.close();
    },
  };
}

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

  it('the former topics are not all left behind, the refusals are not asked 20 a minute, and the move finishes once the right is given', async () => {
    const first = await bot.start();
    const refs: string[] = [];
    for (const chat of [5821, 5822, 5823, 5824]) {
      await onboard(first.app, chat);
      refs.push(await askPerson(first.app, chat, `Question number ${chat} about a wheelchair`));
    }
    await first.stop();

    const relay = await bot.restart(NEW);
    const api = first.app.api;
    let refusing = true;
    for (let i = 0; i < 100; i++) {
      api.failNext('createForumTopic', 400, 'Bad Request: not enough rights to create a topic', undefined, (p) => refusing && p.chat_id === NEW);
    }
    const { inquiries } = relay.app.bot.services;
    const passes = 5;
    for (let i = 0; i < passes; i++) await moveToCurrentGroup(relay.app.bot.deps);
    // Telegram asked at most once a pass while it refuses.
    expect(api.callsOf('createForumTopic', NEW).length).toBeLessThanOrEqual(passes);
    // Operators keep the former topics they were reading (nothing made to replace them): at most one left.
    const stillThere = [];
    for (const ref of refs) if ((await inquiries.get(ref))?.staffChatId === OLD) stillThere.push(ref);
    expect(stillThere.length).toBeGreaterThanOrEqual(refs.length - 1);
    // Every question is still open for the Staff menu.
    for (const ref of refs) expect((await inquiries.get(ref))?.status).not.toBe('closed');

    refusing = false;
    for (let i = 0; i < 3; i++) await moveToCurrentGroup(relay.app.bot.deps);
    for (const ref of refs) {
      const record = (await inquiries.get(ref))!;
      expect(record.staffChatId).toBe(NEW);
      expect(api.topics(NEW).filter((t) => t.name.startsWith(ref))).toHaveLength(1);
    }
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
    const telegram = deps.telegram!;
    const call = telegram.call.bind(telegram);
    vi.spyOn(telegram, 'call').mockImplementation(async (method: string, payload: Record<string, unknown>) => {
      const result = await call(method, payload);
      if (method === 'createForumTopic') await closeInquiry(deps, ref, OPERATOR);
      return result;
    });
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
