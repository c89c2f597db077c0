// Long polling against a Telegram that misbehaves and then recovers: 429 with retry_after, 409 (a
// second poller or a webhook), 500, a proxy's HTML page, and a getUpdates that never answers (a
// connection dropped silently on the way, as NAT and mobile links do). Both runtimes' callers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiServer } from '../../src/platform/bot-api/index.js';
import { grammyBot, grammyCaller } from '../../src/telegram/grammy-runtime.js';
import { telegrafCaller } from '../../src/telegram/telegraf-runtime.js';
import { startPoller, type Poller } from '../../src/telegram/poller.js';
import { createLogger } from '../../src/logger.js';
import type { ApiCaller } from '../../src/telegram/api-caller.js';
import { Telegraf } from 'telegraf';

const USER = 5150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stands between the poller and the Bot API: passes every call on, except that while `blackHole`
 * is set a getUpdates is taken and never answered, and while `htmlPage` is set it gets a proxy's
 * 502 page.
 */
async function startProxy(target: string) {
  const state = { blackHole: false, htmlPage: false, swallowed: 0, getUpdatesAt: [] as number[] };
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.url?.endsWith('/getUpdates')) {
          state.getUpdatesAt.push(Date.now());
          if (state.blackHole) {
            state.swallowed += 1;
            held.push(res);
            return;
          }
          if (state.htmlPage) {
            res.writeHead(502, { 'content-type': 'text/html' });
            res.end('<html><body>502 Bad Gateway</body></html>');
            return;
          }
        }
        const answer = await fetch(`${target}${req.url}`, { method: req.method, headers: { 'content-type': String(req.headers['content-type'] ?? 'application/json') }, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => {
        // The Bot API behind stopped while a call was on its way (the test's end): the poller sees the connection drop.
        res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const callers: Array<[string, (token: string, root: string) => ApiCaller]> = [
  ['grammY', (token, root) => grammyCaller(grammyBot(token, root))],
  ['Telegraf', (token, root) => telegrafCaller(new Telegraf(token, { telegram: { apiRoot: root } }))],
];

describe.each(callers)('the update poller over %s', (_name, callerFor) => {
  let api: BotApiServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let poller: Poller | undefined;
  const taken: number[] = [];
  beforeEach(async () => {
    api = new BotApiServer();
    await api.start();
    proxy = await startProxy(api.apiRoot);
    taken.length = 0;
  });
  afterEach(async () => {
    poller?.stop();
    await proxy.close();
    await api.stop();
    await poller?.done.catch(() => undefined);
    poller = undefined;
  });

  const start = (timeoutS = 1, answerGraceMs?: number) => {
    poller = startPoller({
      api: callerFor(api.token, proxy.root),
      accept: async (update) => void taken.push((update as { update_id: number }).update_id),
      allowedUpdates: ['message'],
      timeoutS,
      logger: createLogger('silent'),
      ...(answerGraceMs === undefined ? {} : { answerGraceMs }),
      // Pauses of 40, 80, 160 ms after failures in a row instead of 0.5, 1, 2 s: the recovery is
      // the same, and a 429's retry_after (1 s below) stands far above them.
      retryBaseMs: 20,
    });
    return poller;
  };
  const until = async (check: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) await sleep(20);
    return check();
  };

  it('waits as long as a 429 asks before it polls again', async () => {
    api.failNext('getUpdates', 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    start();
    expect(await until(() => proxy.state.getUpdatesAt.length >= 2, 5_000)).toBe(true);
    const [refused, next] = proxy.state.getUpdatesAt;
    // The failure's own pause would be 40 ms: a second, less the timer's slack, is the 429's.
    expect(next! - refused!).toBeGreaterThanOrEqual(950);
    const update = api.text(USER, 'after the flood wait');
    expect(await until(() => taken.includes(update.update_id), 5_000)).toBe(true);
  });

  it('comes back after 409, 500 and a proxy page, and takes what was sent meanwhile, once', async () => {
    api.failNext('getUpdates', 409, 'Conflict: terminated by other getUpdates request');
    api.failNext('getUpdates', 500, 'Internal Server Error');
    proxy.state.htmlPage = true;
    const p = start();
    const first = api.text(USER, 'sent during the trouble');
    expect(await until(() => proxy.state.getUpdatesAt.length >= 1, 5_000)).toBe(true);
    proxy.state.htmlPage = false;
    const second = api.text(USER, 'sent after it');
    expect(await until(() => taken.length >= 2, 10_000)).toBe(true);
    await sleep(300);
    expect(taken).toEqual([first.update_id, second.update_id]);
    expect(p.healthy()).toBe(true);
    expect(api.pendingUpdates).toBe(0);
  });

  it('gives up on a getUpdates that never answers and polls again, losing nothing', async () => {
    proxy.state.blackHole = true;
    start(1, 200);
    expect(await until(() => proxy.state.swallowed === 1, 5_000)).toBe(true);
    proxy.state.blackHole = false;
    const update = api.text(USER, 'sent while the connection hung');
    // A long poll of 1 s and 200 ms of grace: the hung call is dropped within seconds.
    expect(await until(() => taken.includes(update.update_id), 6_000)).toBe(true);
  });
});
