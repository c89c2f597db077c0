// A poison update: every process that handles it dies (SIGKILL) before it can record a failure.
// The count of tries lives in Redis with the chat's mailbox head, so after MAILBOX_MAX_ATTEMPTS
// starts the next process dead-letters the update without running it, apologises once, and the
// chat goes on.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer, type Update } from '../../src/platform/bot-api/index.js';
import { spawnBot, webhookBotEnv, WEBHOOK_SECRET as SECRET, type BotProcess } from '../support/spawn-bot.js';
import { freePort } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';

const APOLOGY = 'Sorry, something went wrong on our side';
const MAX_ATTEMPTS = 3;
const CHAT = 801;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a poison update that kills every process that handles it', () => {
  let api: BotApiServer;
  const bots: BotProcess[] = [];
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.kill('SIGKILL')));
    await api?.stop();
  });

  it(`is dead-lettered after ${MAX_ATTEMPTS} starts, the user gets the apology once, and the next update is handled`, async () => {
    api = await startBotApiServer();
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const env = (port: number) =>
      webhookBotEnv(api, { prefix, mongoUri: testMongoUri('poison_update'), port }, {
        MAILBOX_LEASE_MS: '1000',
        MAILBOX_POLL_MS: '50',
        MAILBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      });
    const start = async () => {
      const port = await freePort();
      const bot = await spawnBot(env(port));
      bots.push(bot);
      return { bot, post: (update: Update) => api.postUpdate(update, `http://127.0.0.1:${port}/webhook`, SECRET).then((r) => r.status, () => 0) };
    };
    const exited = (bot: BotProcess) => bot.child.exitCode !== null || bot.child.signalCode !== null;

    let current = await start();
    expect(await current.post(api.command(CHAT, 'start', undefined, { enqueue: false, languageCode: 'en' }))).toBe(200);
    await api.waitForNewMessage(CHAT, 0, 10_000);
    expect(await current.post(api.callback(CHAT, 'lang:en', undefined, { enqueue: false }))).toBe(200);
    await api.waitFor((call) => call.method === 'sendMessage' && String(call.payload.text ?? '').includes('Main menu'), 10_000);

    const poison = api.callback(CHAT, 'poison:1', undefined, { enqueue: false });
    // The webhook stores the update before it answers; the process may die before the answer.
    await current.post(poison);
    let deaths = 0;
    const deadline = Date.now() + 90_000;
    while (!api.messagesTo(CHAT).some((m) => (m.text ?? '').includes(APOLOGY)) && Date.now() < deadline) {
      if (exited(current.bot)) {
        deaths += 1;
        // A restart, as a supervisor would do; it takes the chat once the dead lease runs out.
        // Workers start before the process says READY, so on a slow machine a new process may
        // take the chat and die of the poison while still starting: that is a death too.
        for (;;) {
          try {
            current = await start();
            break;
          } catch {
            deaths += 1;
          }
        }
      }
      await sleep(50);
    }
    expect(api.messagesTo(CHAT).filter((m) => (m.text ?? '').includes(APOLOGY))).toHaveLength(1);
    expect(deaths).toBe(MAX_ATTEMPTS);
    expect(exited(current.bot)).toBe(false);

    const redis = new Redis(testRedisUrl());
    try {
      // Filed under the chat (docs/mailbox.md), so "Delete my data" finds it without reading others'.
      const dead = (await redis.hvals(`${prefix}:chat:{${CHAT}}:dead`)).map((line) => JSON.parse(line) as { updateId: number; attempts: number; error: { type?: string } });
      expect(await redis.zcard(`${prefix}:chat:dead:order`)).toBe(1);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ updateId: poison.update_id, attempts: MAX_ATTEMPTS + 1, error: { type: 'UnfinishedError' } });
    } finally {
      redis.disconnect();
    }

    // The chat moves on: the next update is handled by the living process.
    expect(await current.post(api.callback(CHAT, 'tally:7', undefined, { enqueue: false }))).toBe(200);
    await api.waitFor((call) => call.method === 'sendMessage' && call.payload.text === 'tally 7', 15_000);
    await sleep(300);
    expect(api.messagesTo(CHAT).filter((m) => (m.text ?? '').includes(APOLOGY))).toHaveLength(1);
  }, 240_000);
});
