import { randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import type { ApiCaller } from '../../../src/telegram/api-caller.js';
import { groupText, messagesInThread } from '../../support/group-updates.js';
import { createTestApp, onboard, type TestApp } from '../../support/app-harness.js';
import { testRedisUrl } from '../../support/isolation.js';
import { createDeliveryQueue } from '../../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from '../../../src/delivery/bot-worker.js';
import { createLogger } from '../../../src/logger.js';
import { testCipher } from '../../support/data-key.js';

export const STAFF_CHAT = -1001234567890;
export { sleep, until } from '../../support/until.js';
import { until } from '../../support/until.js';

/** The citizen asks a person in English; returns the inquiry number the bot gave. */
export async function askPerson(app: TestApp, chat: number, question: string, topic = 'Rehabilitation', region = 'Almaty (city)'): Promise<string> {
  await app.say(chat, question);
  await app.tapLike(chat, 'Ask a person');
  await app.tapLike(chat, topic);
  await app.tapLike(chat, region);
  const texts = app.drain(chat);
  const sent = texts.find((t) => t.includes('has been sent'));
  const ref = sent?.match(/Q-\d{4}-\d{6}/)?.[0];
  if (!ref) throw new Error(`no inquiry number in: ${texts.join(' | ')}`);
  return ref;
}

/** "Waiting too long" is 150 ms in the live relays: the reminder tests wait that out for real. */
export const REMIND_MINUTES = '0.0025';

/**
 * The per-chat gap for live relays whose tests are not about it: answers to a citizen are then
 * spaced 350 ms (the gap and the relay's margin) instead of 1.1 s. Not shorter: an answer would
 * come out of order if the one before it started that much later than due (a busy machine), and
 * these tests still check the order they see. voice-relay.test.ts keeps Telegram's one second,
 * so the order of answers is proven at the gap production runs with.
 */
export const SHORT_CHAT_GAP_MS = 250;

export interface LiveRelay {
  app: TestApp;
  /** Sees if this chat got a message containing the fragment. */
  seen(chat: number, fragment: string): boolean;
  /** Stops the bot and its delivery worker, keeping the data (a restart's first half). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** A restart over another relay's database, Redis prefix and Telegram (e.g. with a new STAFF_CHAT_ID). */
export interface SharedWith {
  mongoUri: string;
  redisPrefix: string;
  api: TestApp['api'];
}

/**
 * The whole bot with a forum supergroup as its staff chat, the real BullMQ queue and delivery
 * worker, and the local Bot API over HTTP: questions relayed as they are in production.
 */
export async function startLiveRelay(name: string, adminId: number, env: Record<string, string> = {}, chatGapMs?: number, shared?: SharedWith): Promise<LiveRelay> {
  const prefix = shared?.redisPrefix ?? `t-${randomBytes(5).toString('hex')}`;
  const queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
  const app = await createTestApp(name, {
    adminIds: [adminId],
    delivery: queue,
    redisPrefix: prefix,
    ...(chatGapMs === undefined ? {} : { chatGapMs }),
    ...(shared ? { mongoUri: shared.mongoUri, api: shared.api, keepDatabase: true } : {}),
    env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en', INQUIRY_REMIND_MINUTES: REMIND_MINUTES, ...env },
  });
  const worker = startBotDeliveryWorker({
    config: app.config,
    redis: app.redis,
    services: app.bot.services,
    i18n: app.bot.i18n,
    api: app.bot.runtime.api,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
  return {
    app,
    seen: (chat, fragment) => app.api.messagesTo(chat).some((m) => m.text?.includes(fragment)),
    async stop() {
      await worker.close();
      await app.stop();
    },
    async close() {
      await worker.close();
      await queue.close();
      await app.close();
    },
  };
}

export const threadText = (app: TestApp, threadId: number): string[] =>
  messagesInThread(app.api, STAFF_CHAT, threadId).map((m) => m.text ?? '');

/** "Delete my data" as the person does it: /mydata, "Delete all my data", "Yes, delete everything". */
export async function eraseMyData(app: TestApp, chat: number): Promise<void> {
  await app.command(chat, 'mydata');
  await app.tapLike(chat, 'Delete all my data');
  await app.tapLike(chat, 'Yes, delete everything');
}

/** A bot, then the same bot started again over its records and Telegram with another staff group (or none). */
export function movingBot(name: string, operatorId: number) {
  const relays: LiveRelay[] = [];
  let first: LiveRelay | undefined;
  return {
    async start(): Promise<LiveRelay> {
      first = await startLiveRelay(name, operatorId, {}, SHORT_CHAT_GAP_MS);
      relays.push(first);
      return first;
    },
    async restart(staffChatId: number | undefined): Promise<LiveRelay> {
      const shared: SharedWith = { mongoUri: first!.app.mongoUri, redisPrefix: first!.app.config.REDIS_PREFIX, api: first!.app.api };
      // No staff group at all: the variable left out of the environment.
      const env = { STAFF_CHAT_ID: staffChatId === undefined ? (undefined as unknown as string) : String(staffChatId) };
      const relay = await startLiveRelay(name, operatorId, env, SHORT_CHAT_GAP_MS, shared);
      relays.push(relay);
      return relay;
    },
    async closeAll(): Promise<void> {
      for (const relay of relays.slice(1).reverse()) await relay.close();
      await first?.close();
    },
  };
}

/** How a moved topic shows an operator's answer from before the move (inquiries:staff.earlier-answer). */
export const EARLIER_ANSWER = 'Operator (before the staff group changed):';

/**
 * A question asked in `group` and answered there by `operatorId`, a follow-up, and a second
 * answer: the conversation a move copies into the question's new topic. Returns its reference.
 */
export async function answeredTwice(relay: LiveRelay, group: number, operatorId: number, chat: number, about: string): Promise<string> {
  const { app } = relay;
  await onboard(app, chat);
  const ref = await askPerson(app, chat, `Where do I get ${about}?`);
  const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
  await app.send(groupText(app.api, group, threadId, operatorId, `First answer about ${about}.`, { enqueue: false }));
  await until('the first answer', () => relay.seen(chat, `First answer about ${about}`));
  await app.say(chat, `And for a child, ${about} too?`);
  await app.send(groupText(app.api, group, threadId, operatorId, `Second answer about ${about}.`, { enqueue: false }));
  await until('the second answer', () => relay.seen(chat, `Second answer about ${about}`));
  return ref;
}

/**
 * Runs `meanwhile` once Telegram has made a forum topic (its name given) and before the bot notes
 * it: the moment a follow-up, a close or an erasure races the topic's making. Undone by
 * vi.restoreAllMocks().
 */
export function afterTopicMade(telegram: ApiCaller, meanwhile: (topicName: string) => Promise<unknown>): void {
  const call = telegram.call.bind(telegram);
  vi.spyOn(telegram, 'call').mockImplementation(async (method: string, payload: Record<string, unknown>) => {
    const result = await call(method, payload);
    if (method === 'createForumTopic') await meanwhile(String(payload.name));
    return result;
  });
}
