import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startBotApiServer, type BotApiServer, type Update } from '../../src/platform/bot-api/index.js';
import { freePort } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';
import { spawnBot, webhookBotEnv, WEBHOOK_SECRET as SECRET, type BotProcess } from '../support/spawn-bot.js';
import { TEST_DATA_KEY } from '../support/data-key.js';
import { SessionStore } from '../../src/session/session-store.js';
import { redisStoredSessions } from '../../src/session/mailbox.js';
import { createDataCipher } from '../../src/security/crypto.js';

const CHATS = 20;
const UPDATES = 1000;

describe('two bot processes sharing one Redis', () => {
  let api: BotApiServer;
  let bots: BotProcess[] = [];
  let ports: number[] = [];
  let redis: Redis;
  const prefix = `t-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    api = await startBotApiServer();
    redis = new Redis(testRedisUrl());
    const mongoUri = testMongoUri('two_processes');
    ports = [await freePort(), await freePort()];
    bots = await Promise.all(
      ports.map((port) =>
        spawnBot(webhookBotEnv(api, { prefix, mongoUri, port })),
      ),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.kill()));
    redis?.disconnect();
    await api?.stop();
  });

  const post = async (processIndex: number, update: Update) => {
    const result = await api.postUpdate(update, `http://127.0.0.1:${ports[processIndex]}/webhook`, SECRET);
    expect(result.status).toBe(200);
  };

  it('refuses a webhook call without the secret header', async () => {
    const result = await api.postUpdate(api.text(1, 'hi', { enqueue: false }), `http://127.0.0.1:${ports[0]}/webhook`, 'wrong-secret-value-123');
    expect(result.status).toBe(401);
  });

  it(`loses no session write and handles no update twice over ${UPDATES} interleaved updates for ${CHATS} chats`, async () => {
    const chatIds = Array.from({ length: CHATS }, (_, i) => 9000 + i);
    // Chats sign up side by side; within a chat, /start is stored before the language tap.
    await Promise.all(
      chatIds.map(async (chat) => {
        await post(0, api.command(chat, 'start', undefined, { enqueue: false, languageCode: 'en' }));
        await post(1, api.callback(chat, 'lang:en', undefined, { enqueue: false }));
      }),
    );
    const updates: Array<{ update: Update; chat: number; n: number }> = [];
    for (let n = 0; n < UPDATES; n += 1) {
      const chat = chatIds[n % CHATS]!;
      updates.push({ update: api.callback(chat, `tally:${n}`, undefined, { enqueue: false }), chat, n });
    }
    // Every update goes to one process; one in eight is delivered again to the other, as a
    // webhook retry behind a load balancer would.
    const deliveries: Array<() => Promise<void>> = [];
    updates.forEach(({ update }, i) => {
      deliveries.push(() => post(i % 2, update));
      if (i % 8 === 0) deliveries.push(() => post((i + 1) % 2, update));
    });
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) await deliveries[next++]!();
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    // The webhook answers once an update is stored; handling follows. Wait until every reply is out.
    const deadline = Date.now() + 60_000;
    while (api.messagesTo(chatIds[0]!).length >= 0 && Date.now() < deadline) {
      const out = chatIds.reduce((n, chat) => n + api.messagesTo(chat).filter((m) => m.text?.startsWith('tally ')).length, 0);
      if (out >= UPDATES) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    const store = new SessionStore(redisStoredSessions(redis, `${prefix}:chat`), createDataCipher(Buffer.from(TEST_DATA_KEY, 'hex')));
    for (const chat of chatIds) {
      const session = await store.peek(chat);
      const tally = (session?.data?.tally as number[]) ?? [];
      const expected = updates.filter((u) => u.chat === chat).map((u) => u.n);
      expect([...tally].sort((a, b) => a - b), `chat ${chat}`).toEqual(expected);
      const replies = api.messagesTo(chat).filter((m) => m.text?.startsWith('tally '));
      // Replies went out in the order the updates were handled (their order of arrival), one each.
      expect(replies.map((m) => Number(m.text!.slice('tally '.length))), `chat ${chat}`).toEqual(tally);
    }
  }, 120_000);
});
