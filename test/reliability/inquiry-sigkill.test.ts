import mongoose from 'mongoose';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer } from '../../src/platform/bot-api/index.js';
import { pollingBotEnv, spawnBot, type BotProcess } from '../support/spawn-bot.js';
import { forumTopic, groupCallback, groupText, messagesInThread } from '../support/group-updates.js';
import { until as untilWithin } from '../support/until.js';
import { testRedisUrl } from '../support/isolation.js';
import { untilMailboxIdle } from '../support/mailbox-idle.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';

const CITIZEN = 4343;
const OPERATOR = 4344;
const STAFF_CHAT = -1009876543210;

// After a SIGKILL the other process takes over only once the lease runs out: wait longer.
const until = (what: string, check: () => boolean | Promise<boolean>) => untilWithin(what, check, 45_000, 20);

// A whole bot process (polling the local Bot API, with the real delivery queue and worker)
// killed with SIGKILL while a question is open, and killed again right after updates were
// pushed: nothing the citizen or the operator sent is lost or handled twice.
describe('a bot killed while a citizen question is open', () => {
  let api: BotApiServer;
  let bot: BotProcess | undefined;
  let env: Record<string, string>;
  let db: mongoose.Connection;
  let redis: Redis;

  beforeAll(async () => {
    api = await startBotApiServer();
    env = pollingBotEnv(api, 'inq_sigkill', {
      ADMIN_IDS: String(OPERATOR),
      STAFF_CHAT_ID: String(STAFF_CHAT),
      STAFF_CHAT_LOCALE: 'en',
      TEST_DELIVERY: 'bullmq',
      // A killed process's chats are taken over once its lease runs out. Not shorter: a process
      // pausing longer than the renewal's slack on a loaded machine loses its own lease and may
      // send a reply twice (which the design accepts, docs/mailbox.md), and this test counts
      // replies exactly.
      MAILBOX_LEASE_MS: '2000',
    });
    db = await mongoose.createConnection(env.MONGODB_URI!).asPromise();
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await bot?.kill();
    await db?.close();
    redis?.disconnect();
    await api?.stop();
  });

  const texts = () => api.messagesTo(CITIZEN).map((m) => m.text ?? '');
  const tapLike = (fragment: string) => {
    const button = api.visibleMessages(CITIZEN).flatMap((m) => m.buttons.flat()).find((b) => b.includes(fragment));
    if (!button) throw new Error(`no button like ${fragment}`);
    api.tap(CITIZEN, button);
  };
  const step = async (push: () => void, expected: string) => {
    const before = texts().length;
    push();
    await until(expected, () => texts().slice(before).some((t) => t.includes(expected)));
  };
  const stored = async (ref: string) =>
    (await db.collection('inquiries').findOne({ ref })) as { messages: Array<{ from: string; media?: string }>; status: string } | null;

  it('follow-ups and answers pushed just before each SIGKILL arrive once, and the topic still closes', async () => {
    bot = await spawnBot(env);
    await step(() => api.command(CITIZEN, 'start', undefined, { languageCode: 'en' }), 'English');
    await step(() => api.tap(CITIZEN, '✓ 3. English'), 'Main menu');
    await step(() => api.command(CITIZEN, 'ask'), 'What is your question about?');
    await step(() => tapLike('Rehabilitation'), 'Write your question');
    await step(() => api.text(CITIZEN, 'My father needs a walking frame, where do we apply?'), 'Which region');
    await step(() => tapLike('Almaty (city)'), 'has been sent');
    const ref = texts().join('\n').match(/Q-\d{4}-\d{6}/)![0];
    await until('the forum topic', () => api.topics(STAFF_CHAT).length === 1);
    const threadId = api.topics(STAFF_CHAT)[0]!.threadId;

    // Killed right after the citizen's text and photo were sent, before they could be handled.
    api.text(CITIZEN, 'He is 82 and lives alone.');
    api.photo(CITIZEN);
    await bot.kill('SIGKILL');
    bot = await spawnBot(env);
    await until('both follow-ups in the topic', () => {
      const inThread = messagesInThread(api, STAFF_CHAT, threadId);
      return inThread.some((m) => m.text === 'Citizen: He is 82 and lives alone.') && inThread.some((m) => m.copiedFrom?.chatId === CITIZEN);
    });

    // The citizen's two confirmations sent and the chat handed back first: a process killed
    // after sending a reply but before marking it sent makes the next one send it again (the
    // rare duplicate docs/mailbox.md accepts), and this kill is about the operator's answer.
    const citizenChat = (name: string) => `${env.REDIS_PREFIX}:chat:{${CITIZEN}}:${name}`;
    await until('the follow-ups confirmed and the chat handed back', async () =>
      texts().filter((t) => t.includes(`Added to your question ${ref}`)).length >= 2 && (await redis.exists(citizenChat('lease'), citizenChat('out'))) === 0,
    );

    // Killed right after the operator answered in the topic.
    groupText(api, STAFF_CHAT, threadId, OPERATOR, 'Apply at the district social protection office.');
    await bot.kill('SIGKILL');
    bot = await spawnBot(env);
    await until('the answer', () => texts().some((t) => t.includes('district social protection office')));
    expect(texts().filter((t) => t.startsWith(`Operator, question ${ref}`))).toHaveLength(1);

    groupCallback(api, STAFF_CHAT, threadId, OPERATOR, `iq:close:${ref}`);
    await until('the topic closed', () => forumTopic(api, STAFF_CHAT, threadId)?.closed === true);
    await until('the rating question', () => texts().some((t) => t.includes(`Your question ${ref} is closed`)));

    // Nothing left to handle in any chat nor to send from the queue: a second copy of anything
    // would have come by now.
    await untilMailboxIdle(redis, env.REDIS_PREFIX!);
    await untilDeliveryIdle({ REDIS_URL: env.REDIS_URL!, REDIS_PREFIX: env.REDIS_PREFIX! });
    const inquiry = await stored(ref);
    expect(inquiry?.status).toBe('closed');
    expect(inquiry?.messages.map((m) => `${m.from}:${m.media ?? 'text'}`)).toEqual(['citizen:text', 'citizen:text', 'citizen:photo', 'operator:text']);
    expect(texts().filter((t) => t.includes(`Added to your question ${ref}`))).toHaveLength(2);
    expect(messagesInThread(api, STAFF_CHAT, threadId).filter((m) => m.text === 'Citizen: He is 82 and lives alone.')).toHaveLength(1);
  }, 180_000);

  it('a follow-up Telegram did not take before the process was SIGKILLed is posted by the next process, once', async () => {
    bot ??= await spawnBot(env);
    await step(() => api.command(CITIZEN, 'ask'), 'What is your question about?');
    await step(() => tapLike('Rehabilitation'), 'Write your question');
    await step(() => api.text(CITIZEN, 'Is there a day centre for adults in Almaty?'), 'Which region');
    await step(() => tapLike('Almaty (city)'), 'has been sent');
    const ref = texts().join('\n').match(/Q-\d{4}-\d{6}/g)!.at(-1)!;
    await until('its forum topic', () => api.topics(STAFF_CHAT).length === 2);
    const threadId = api.topics(STAFF_CHAT)[1]!.threadId;
    const posted = () => messagesInThread(api, STAFF_CHAT, threadId).filter((m) => m.text === 'Citizen: We need it on weekdays.').length;
    // The card and the question go into the new topic after it is made: the refusal below must
    // meet the follow-up, not one of them still on its way.
    await until('the question in its topic', () => messagesInThread(api, STAFF_CHAT, threadId).some((m) => m.text === 'Citizen: Is there a day centre for adults in Almaty?'));

    // The post into the topic is refused (502), so the follow-up is due; then the process dies.
    // Only that post: the replies around it (the citizen's "Added to your question") go through.
    api.failNext('sendMessage', 502, 'Bad Gateway', undefined, (payload) => payload.message_thread_id === threadId);
    await step(() => api.text(CITIZEN, 'We need it on weekdays.'), `Added to your question ${ref}`);
    await bot.kill('SIGKILL');
    expect(posted()).toBe(0);
    // A minute on: the repair pass leaves a follow-up younger than that to its own process.
    await db.collection('inquirytopicmirrors').updateMany({ ref }, { $set: { at: new Date(Date.now() - 120_000) } });
    bot = await spawnBot({ ...env, TEST_REPAIR_TICK_MS: '100' });
    await until('the follow-up in the topic', () => posted() === 1);
    // Further ticks, and another process after a SIGKILL, post nothing more. Two more ticks
    // finished: at least one of them started after the post.
    const ticks = (process: BotProcess) => process.output().split('REPAIR TICK DONE').length - 1;
    const seen = ticks(bot);
    await until('two further repair ticks', () => ticks(bot!) >= seen + 2);
    await bot.kill('SIGKILL');
    bot = await spawnBot({ ...env, TEST_REPAIR_TICK_MS: '100' });
    await until('the next process\'s first two repair ticks', () => ticks(bot!) >= 2);
    expect(posted()).toBe(1);
    expect(await db.collection('inquirytopicmirrors').findOne({ ref })).toMatchObject({ doneAt: expect.any(Date) });
  }, 120_000);
});
