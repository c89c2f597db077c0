// Komek's Bot API transport (src/telegram/bot-api-fetch.ts) under grammY, as the bot and the
// delivery worker use it: JSON calls, file uploads, Telegram's error answers, a proxy's HTML
// page, a Bot API that never answers, and a connection cut mid-answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot, GrammyError, HttpError, InputFile } from 'grammy';
import { startBotApiServer, type BotApiServer } from '../../src/platform/bot-api/index.js';
import { botApiFetch } from '../../src/telegram/bot-api-fetch.js';
import { grammyBot, grammyCaller } from '../../src/telegram/grammy-runtime.js';

const USER = 7001;

describe('the Bot API transport under grammY', () => {
  let api: BotApiServer;
  let bot: Bot;

  beforeAll(async () => {
    api = await startBotApiServer();
    bot = grammyBot(api.token, api.apiRoot);
  });
  afterAll(() => api.stop());

  it('sends a message with buttons and returns what Telegram returned', async () => {
    const sent = await bot.api.sendMessage(USER, 'Сәлем! Қадам 1 / 3', { reply_markup: { inline_keyboard: [[{ text: 'Артқа', callback_data: 'n:back' }]] } });
    expect(sent.message_id).toBeGreaterThan(0);
    expect(api.lastMessageTo(USER)).toMatchObject({ text: 'Сәлем! Қадам 1 / 3', replyMarkup: { inline_keyboard: [[{ text: 'Артқа', callback_data: 'n:back' }]] } });
  });

  it('uploads a file as multipart form data', async () => {
    await bot.api.sendDocument(USER, new InputFile(Buffer.from('name,phone\nАйгерім,+7 701\n'), 'grants.csv'), { caption: 'Export' });
    expect(api.lastMessageTo(USER)).toMatchObject({ text: 'Export', document: { filename: 'grants.csv', content: 'name,phone\nАйгерім,+7 701\n' } });
  });

  it("turns Telegram's error answers into GrammyError with their code and retry_after", async () => {
    api.failNext('sendMessage', 429, 'Too Many Requests: retry after 3', { retry_after: 3 });
    const caller = grammyCaller(bot);
    const error = await caller.call('sendMessage', { chat_id: USER, text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(caller.classify(error)).toBe('rate-limited');
    expect(caller.retryAfter(error)).toBe(3);
  });

  it('sends many calls at once over a few kept-alive connections', async () => {
    const before = api.counts.sent;
    await Promise.all(Array.from({ length: 200 }, (_, i) => bot.api.sendMessage(USER + 1 + (i % 20), `n${i}`)));
    expect(api.counts.sent - before).toBe(200);
  });
});

describe('the Bot API transport against a broken server', () => {
  let server: Server;
  let root: string;
  const cut: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.endsWith('/proxyPage')) {
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end('<html>Bad Gateway</html>');
      }
      if (req.url?.endsWith('/cutMidway')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"ok":tr');
        return void setTimeout(() => res.destroy(), 20);
      }
      // /neverAnswer: keep the request open; note when the client gives up.
      req.on('close', () => cut.push(req.url ?? ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("reports a proxy's HTML error page as a network error (HttpError), like grammY's default", async () => {
    const caller = grammyCaller(grammyBot('1:test', root));
    const error = await caller.call('proxyPage', { chat_id: USER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(caller.classify(error)).toBe('network');
  });

  it('rejects an answer cut off mid-body', async () => {
    const caller = grammyCaller(grammyBot('1:test', root));
    const error = await caller.call('cutMidway', { chat_id: USER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
  });

  it('gives up on abort (grammY timeout) and closes the connection', async () => {
    const controller = new AbortController();
    const pending = botApiFetch(`${root}/bot1:test/neverAnswer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => cut).toContain('/bot1:test/neverAnswer');
  });

  it('rejects at once when the signal was aborted before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(botApiFetch(`${root}/bot1:test/neverAnswer`, { method: 'POST', body: '{}', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
