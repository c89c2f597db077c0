// A process SIGKILLed between COMMIT and RELEASE: the update is committed (popped, session and
// outbox stored), its reply is on its way to Telegram, and the chat is still held. Commit leaves
// the handled update's start count for RELEASE to delete, so the next holder must not mistake it
// for the next update's (with MAILBOX_MAX_ATTEMPTS=1 one start too many dead-letters it), and
// must send the committed reply exactly once.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotApiServer, type BotApiServer, type Update } from '../../src/platform/bot-api/index.js';
import { spawnBot, webhookBotEnv, WEBHOOK_SECRET as SECRET, type BotProcess } from '../support/spawn-bot.js';
import { freePort } from '../support/service-processes.js';
import { testMongoUri, testRedisUrl } from '../support/isolation.js';

const LEASE_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Bot API in front of the real one that never answers (nor passes on) a sendMessage whose body
 * contains `held`: the reply the process committed and is sending when it is killed.
 */
async function holdingProxy(api: BotApiServer, held: string): Promise<{ root: string; heldCount: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/sendMessage') && body.toString().includes(held)) {
        count += 1;
        return;
      }
      void fetch(`${api.apiRoot}${req.url}`, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: req.method === 'GET' ? undefined : body }).then(
        async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await r.arrayBuffer()));
        },
        () => res.destroy(),
      );
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    root: `http://127.0.0.1:${port}`,
    heldCount: () => count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('SIGKILL between COMMIT and RELEASE', () => {
  let api: BotApiServer;
  const bots: BotProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.kill('SIGKILL')));
    await Promise.all(closers.splice(0).map((c) => c()));
    await api?.stop();
  });

  it('the next holder sends the committed reply once and runs the next update, counted as its first start', async () => {
    api = await startBotApiServer();
    const proxy = await holdingProxy(api, 'tally 1');
    closers.push(proxy.close);
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const mongoUri = testMongoUri('commit_release_kill');
    const start = async (apiRoot: string) => {
      const port = await freePort();
      const bot = await spawnBot({
        ...webhookBotEnv(api, { prefix, mongoUri, port }, { MAILBOX_LEASE_MS: String(LEASE_MS), MAILBOX_POLL_MS: '50', MAILBOX_MAX_ATTEMPTS: '1' }),
        TELEGRAM_API_ROOT: apiRoot,
      });
      bots.push(bot);
      return async (update: Update) => expect((await api.postUpdate(update, `http://127.0.0.1:${port}/webhook`, SECRET)).status).toBe(200);
    };
    const redis = new Redis(testRedisUrl());
    closers.push(async () => redis.disconnect());
    const key = (chat: number, name: string) => `${prefix}:chat:{${chat}}:${name}`;
    // Chat 811's next update arrives while the dead process still holds the chat (a scan takes
    // it when the lease runs out, and counts its start against the count left behind); chat
    // 812's after that (intake takes the free chat).
    const chats = [811, 812];

    const postToFirst = await start(proxy.root);
    for (const chat of chats) {
      await postToFirst(api.command(chat, 'start', undefined, { enqueue: false, languageCode: 'en' }));
      await api.waitForNewMessage(chat, 0, 10_000);
      const shown = api.messagesTo(chat).length;
      await postToFirst(api.callback(chat, 'lang:en', undefined, { enqueue: false }));
      await api.waitForNewMessage(chat, shown, 10_000);
    }
    const first = new Map(chats.map((chat) => [chat, api.callback(chat, 'tally:1', undefined, { enqueue: false })]));
    for (const chat of chats) await postToFirst(first.get(chat)!);
    const deadline = Date.now() + 10_000;
    while (proxy.heldCount() < chats.length && Date.now() < deadline) await sleep(10);
    expect(proxy.heldCount()).toBe(chats.length);
    // Committed, being sent, not handed back: exactly the window under attack.
    for (const chat of chats) {
      expect(await redis.llen(key(chat, 'mbox'))).toBe(0);
      expect(await redis.exists(key(chat, 'out'), key(chat, 'lease'))).toBe(2);
      expect(await redis.get(key(chat, 'try'))).toBe(`${first.get(chat)!.update_id}:1`);
    }
    // The second process is up before the first dies, so chat 811's next update reaches it while
    // the dead process's lease still stands: appended behind that lease, next to the count the
    // commit left ("<tally 1>:1"), and taken by a scan once the lease runs out.
    const postToSecond = await start(api.apiRoot);
    await bots[0]!.kill('SIGKILL');
    const killedAt = Date.now();
    const second = api.callback(811, 'tally:2', undefined, { enqueue: false });
    await postToSecond(second);
    expect(await redis.exists(key(811, 'lease'))).toBe(1);
    expect(await redis.llen(key(811, 'mbox'))).toBe(1);
    expect(await redis.get(key(811, 'try'))).toBe(`${first.get(811)!.update_id}:1`);
    await sleep(Math.max(0, killedAt + LEASE_MS + 200 - Date.now()));
    await postToSecond(api.callback(812, 'tally:2', undefined, { enqueue: false }));

    for (const chat of chats) {
      await api.waitFor((call) => call.method === 'sendMessage' && call.payload.chat_id === chat && call.payload.text === 'tally 2', 15_000);
    }
    // Handed back once the reply's answer came back: wait for that instead of a fixed pause.
    const handedBack = Date.now() + 10_000;
    while (Date.now() < handedBack && (await redis.exists(...chats.flatMap((chat) => [key(chat, 'out'), key(chat, 'lease'), key(chat, 'try'), key(chat, 'mbox')]))) > 0) await sleep(20);
    for (const chat of chats) {
      const texts = api.messagesTo(chat).map((m) => m.text ?? '');
      expect(texts.filter((t) => t.startsWith('tally ')), `chat ${chat}`).toEqual(['tally 1', 'tally 2']);
      expect(texts.some((t) => t.includes('Sorry, something went wrong')), `chat ${chat}`).toBe(false);
      expect(await redis.exists(key(chat, 'out'), key(chat, 'lease'), key(chat, 'try'), key(chat, 'mbox')), `chat ${chat}`).toBe(0);
    }
    expect(await redis.zcard(`${prefix}:chat:dead:order`)).toBe(0);
    expect(await redis.llen(`${prefix}:chat:dead`)).toBe(0);
  }, 90_000);
});
