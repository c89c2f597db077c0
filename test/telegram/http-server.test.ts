import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/telegram/http-server.js';
import { createLogger } from '../../src/logger.js';
import type { BotRuntime } from '../../src/telegram/api-caller.js';

describe('http server', () => {
  const handled: unknown[] = [];
  let mongoUp = true;
  let redisHangs = false;
  let refuse = false;
  // Only the webhook's side of the runtime; the mailbox behind it is tested in test/mailbox/.
  const runtime = {
    accept: async (update: unknown) => {
      if (refuse) throw new Error('Connection is closed.');
      const valid = typeof update === 'object' && update !== null && typeof (update as { update_id?: unknown }).update_id === 'number';
      if (valid) handled.push(update);
      return valid ? 'queued' : 'invalid';
    },
  } as unknown as BotRuntime;
  const server = createHttpServer({
    port: 0,
    logger: createLogger('silent'),
    health: [
      // A frozen Redis (or a network partition without a reset): ioredis waits for the answer
      // for as long as it takes, with no command timeout.
      { name: 'redis', check: () => (redisHangs ? new Promise<boolean>(() => undefined) : Promise.resolve(true)) },
      { name: 'mongo', check: async () => (mongoUp ? true : Promise.reject(new Error('down'))) },
    ],
    webhook: { path: '/hook', secret: 'a-long-enough-secret', runtime },
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string, secret?: string) =>
    fetch(`${base}/hook`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) } });

  it('reports each dependency and answers 503 when one is down', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', redis: 'up', mongo: 'up' });
    mongoUp = false;
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', redis: 'up', mongo: 'down' });
    mongoUp = true;
  });

  it('answers in time when a dependency does not answer at all, naming it down', async () => {
    redisHangs = true;
    const started = Date.now();
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
    // Under the 5 s timeout of the image's and compose's health check, so the probe reads the answer.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', redis: 'down', mongo: 'up' });
    redisHangs = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('hands updates with the right secret to the runtime, and only those', async () => {
    expect((await post('{"update_id":1}')).status).toBe(401);
    expect((await post('{"update_id":2}', 'a-long-enough-secreT')).status).toBe(401);
    expect((await post('{not json', 'a-long-enough-secret')).status).toBe(400);
    const accepted = await post('{"update_id":3}', 'a-long-enough-secret');
    expect(accepted.status).toBe(200);
    // An empty body with a plain length, not chunked encoding: the cheapest answer for Telegram to read.
    expect(accepted.headers.get('content-length')).toBe('0');
    expect(await accepted.text()).toBe('');
    expect(accepted.headers.get('transfer-encoding')).toBeNull();
    expect(handled).toEqual([{ update_id: 3 }]);
  });

  it('answers 200 to a body that is not an update (never 500, which Telegram would retry forever)', async () => {
    expect((await post('null', 'a-long-enough-secret')).status).toBe(200);
    expect((await post('[1,2]', 'a-long-enough-secret')).status).toBe(200);
    expect(handled).toEqual([{ update_id: 3 }]);
  });

  it('answers 413 to a body over 1 MB', async () => {
    const big = JSON.stringify({ update_id: 9, message: { text: 'x'.repeat(1024 * 1024 + 10) } });
    expect((await post(big, 'a-long-enough-secret')).status).toBe(413);
    expect(handled).toEqual([{ update_id: 3 }]);
  });

  it('answers 503 when the update could not be stored, so Telegram sends it again', async () => {
    refuse = true;
    expect((await post('{"update_id":4}', 'a-long-enough-secret')).status).toBe(503);
    refuse = false;
    expect((await post('{"update_id":4}', 'a-long-enough-secret')).status).toBe(200);
  });

  it('takes updates on its path whatever query WEBHOOK_URL carried (Telegram posts to the URL as given)', async () => {
    const res = await fetch(`${base}/hook?from=telegram`, { method: 'POST', body: '{"update_id":5}', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'a-long-enough-secret' } });
    expect(res.status).toBe(200);
    expect(handled).toContainEqual({ update_id: 5 });
    expect((await fetch(`${base}/hook/other`, { method: 'POST', body: '{"update_id":6}', headers: { 'x-telegram-bot-api-secret-token': 'a-long-enough-secret' } })).status).toBe(404);
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`${base}/other`)).status).toBe(404);
    expect((await fetch(`${base}/hook`)).status).toBe(404);
  });
});

/** A raw connection that writes `head`, then one byte every `everyMs`; resolves with what came back once the server closes it. */
function trickle(port: number, head: string, everyMs: number, giveUpMs: number): Promise<{ closedAfterMs: number | undefined; answer: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = Date.now();
    let answer = '';
    let closed = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.once('connect', () => socket.write(head));
    const drip = setInterval(() => {
      if (!closed) socket.write('x');
    }, everyMs);
    const finish = (closedAfterMs: number | undefined) => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs, answer });
    };
    socket.once('close', () => {
      closed = true;
      finish(Date.now() - started);
    });
    const giveUp = setTimeout(() => finish(undefined), giveUpMs);
  });
}

describe('http server against slow and unauthenticated clients', () => {
  const runtime = { accept: async () => 'queued' } as unknown as BotRuntime;
  const server = createHttpServer({
    port: 0,
    logger: createLogger('silent'),
    health: [],
    webhook: { path: '/hook', secret: 'a-long-enough-secret', runtime },
    timeouts: { headersMs: 500, requestMs: 1_000 },
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps production limits well under the 60 s headers and 5 min request defaults of Node', () => {
    const production = createHttpServer({ port: 0, logger: createLogger('silent'), health: [] });
    expect(production.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(production.requestTimeout).toBeLessThanOrEqual(30_000);
  });

  it('drops a client that sends its headers a line at a time (slowloris)', async () => {
    const slow = await trickle(port, 'POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A', 200, 5_000);
    expect(slow.closedAfterMs).toBeDefined();
    expect(slow.closedAfterMs!).toBeLessThan(3_000);
  });

  it('drops a client with the right secret that trickles its body', async () => {
    const head = 'POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nx-telegram-bot-api-secret-token: a-long-enough-secret\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n';
    const slow = await trickle(port, head, 200, 5_000);
    expect(slow.closedAfterMs).toBeDefined();
    expect(slow.closedAfterMs!).toBeLessThan(3_000);
  });

  it('closes connections that send nothing at all', async () => {
    const silent = await Promise.all(Array.from({ length: 40 }, () => trickle(port, '', 60_000, 5_000)));
    expect(silent.filter((s) => s.closedAfterMs === undefined || s.closedAfterMs >= 3_000)).toEqual([]);
  });

  it('keeps an idle connection open for longer than the proxy in front keeps it, and answers on it', async () => {
    // Caddy (deploy/Caddyfile) keeps idle connections to the bot for 2 minutes and sends the next
    // webhook on one of them; Node's 5 s default closed them under it, and a POST caught in that
    // race is a 502 to Telegram, which then waits before it sends the update again.
    const production = createHttpServer({ port: 0, logger: createLogger('silent'), health: [] });
    expect(production.keepAliveTimeout).toBeGreaterThan(120_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
          sockets.add(res.socket);
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
    expect(await get()).toBe(200);
    // Past Node's default of 5 s, and past this server's short header and request limits.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await get()).toBe(200);
    expect(sockets.size).toBe(1);
    agent.destroy();
  }, 15_000);

  it('closes the connection after a 401 instead of reading the rest of a body it will never use', async () => {
    const head = 'POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n';
    const refused = await trickle(port, head, 100, 5_000);
    expect(refused.answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(refused.closedAfterMs).toBeDefined();
    expect(refused.closedAfterMs!).toBeLessThan(500);
  });
});

describe('http server stopping', () => {
  it('answers the request in flight, then closes its connection, so a stop does not wait for idle connections', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const runtime = {
      accept: async () => {
        await held;
        return 'queued';
      },
    } as unknown as BotRuntime;
    const server = createHttpServer({ port: 0, logger: createLogger('silent'), health: [], webhook: { path: '/hook', secret: 'a-long-enough-secret', runtime } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    // Telegram (or the proxy in front) keeps its connections open between updates.
    const agent = new http.Agent({ keepAlive: true });
    const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/hook', method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'a-long-enough-secret' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        },
      );
      req.on('error', reject);
      req.end('{"update_id":1}');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const closed = new Promise<number>((resolve) => server.close(() => resolve(Date.now() - started)));
    release();
    expect(await answer).toEqual({ status: 200, connection: 'close' });
    expect(await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 3_000))])).toBeLessThan(1_000);
    agent.destroy();
    server.closeAllConnections();
  });
});
