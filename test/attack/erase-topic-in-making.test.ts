// "Delete my data" while the staff topic of the person's question is still being made (openTopic
// under its claim: the question's first try at a topic failed, a later one is running). The
// erasure saw the question without a topic, so it recorded none and deleted none; the topic was
// made anyway and the person's words posted into it, and stayed in the group for good.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { onboard, type TestApp } from '../support/app-harness.js';
import { afterTopicMade, askPerson, STAFF_CHAT, startLiveRelay, SHORT_CHAT_GAP_MS, type LiveRelay, eraseMyData } from '../features/inquiries/helpers.js';
import { openTopic } from '../../src/features/inquiries/relay.js';
import { retryErasedTopics } from '../../src/features/inquiries/erased-topics.js';

const OPERATOR = 7901;

/** A promise with its resolve, to hold one process at a chosen step. */
function gate(): { open(): void; passed: Promise<void> } {
  let open!: () => void;
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { open, passed };
}

describe('attack: "Delete my data" while the question\'s topic is being made', () => {
  let relay: LiveRelay;
  let app: TestApp;

  beforeAll(async () => {
    relay = await startLiveRelay('atk_erase_topic_making', OPERATOR, {}, SHORT_CHAT_GAP_MS);
    app = relay.app;
  });
  afterAll(async () => relay?.close());
  afterEach(() => vi.restoreAllMocks());

  const eraseData = (chat: number) => eraseMyData(app, chat);

  /** A question whose topic Telegram did not make at the first try: it has none yet. */
  async function questionWithoutTopic(chat: number, words: string): Promise<string> {
    await onboard(app, chat);
    app.api.failNext('createForumTopic', 502, 'Bad Gateway');
    const ref = await askPerson(app, chat, words);
    expect((await app.bot.services.inquiries.get(ref))?.threadId ?? undefined).toBeUndefined();
    return ref;
  }

  const madeTopics = (before: number) => app.api.callsOf('createForumTopic', STAFF_CHAT).slice(before);

  it('the erasure runs between Telegram making the topic and the bot noting it: the topic is deleted', async () => {
    const chat = 5901;
    const ref = await questionWithoutTopic(chat, 'My name is Dana Omarova, my daughter is deaf, where is a school for her?');
    afterTopicMade(app.bot.deps.telegram!, () => eraseData(chat));
    const before = app.api.callsOf('createForumTopic', STAFF_CHAT).length;
    await openTopic(app.bot.deps, ref);
    vi.restoreAllMocks();
    await retryErasedTopics(app.bot.deps);
    expect(madeTopics(before)).toHaveLength(1);
    expect(app.api.topics(STAFF_CHAT).map((t) => t.name).filter((n) => n.startsWith(ref))).toEqual([]);
    expect(JSON.stringify(app.api.visibleMessages(STAFF_CHAT))).not.toMatch(/Dana Omarova/);
  });

  it('the erasure reads the question before the topic is noted and deletes it after: the topic is deleted', async () => {
    const chat = 5902;
    const ref = await questionWithoutTopic(chat, 'I am Yerlan Abenov from Saryagash, who repairs my wheelchair?');
    const { inquiries } = app.bot.services;
    const erasureRead = gate();
    const threadNoted = gate();
    const allForUser = inquiries.allForUser.bind(inquiries);
    vi.spyOn(inquiries, 'allForUser').mockImplementation(async (userId: number) => {
      const all = await allForUser(userId);
      erasureRead.open();
      await threadNoted.passed;
      return all;
    });
    const setThread = inquiries.setThread.bind(inquiries);
    vi.spyOn(inquiries, 'setThread').mockImplementation(async (r: string, threadId: number, chatId: number) => {
      const result = await setThread(r, threadId, chatId);
      threadNoted.open();
      return result;
    });
    const telegram = app.bot.deps.telegram!;
    const call = telegram.call.bind(telegram);
    vi.spyOn(telegram, 'call').mockImplementation(async (method: string, payload: Record<string, unknown>) => {
      if (method === 'createForumTopic') await erasureRead.passed;
      return call(method, payload);
    });
    const before = app.api.callsOf('createForumTopic', STAFF_CHAT).length;
    await Promise.all([eraseData(chat), openTopic(app.bot.deps, ref)]);
    vi.restoreAllMocks();
    await retryErasedTopics(app.bot.deps);
    expect(await inquiries.get(ref)).toBeNull();
    expect(madeTopics(before)).toHaveLength(1);
    expect(app.api.topics(STAFF_CHAT).map((t) => t.name).filter((n) => n.startsWith(ref))).toEqual([]);
    expect(JSON.stringify(app.api.visibleMessages(STAFF_CHAT))).not.toMatch(/Yerlan Abenov/);
  });
});
