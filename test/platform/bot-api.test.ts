// The built-in Bot API as Komek's runtimes use it, beyond what test/platform/bot-api-clients.test.ts
// covers: forum topics in a supergroup, copyMessage, Telegram's errors, webhook pushing, transcripts.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiServer, type Update } from '../../src/platform/bot-api/index.js';

const GROUP = -1001234567890;
const USER = 4242;

describe('built-in Bot API', () => {
  let api: BotApiServer;
  let bot: Bot;
  beforeEach(async () => {
    api = new BotApiServer({ rateLimitPerSecond: 5, blockedChats: new Set([666]) });
    await api.start();
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  });
  afterEach(async () => api.stop());

  it('creates, renames and closes forum topics and posts in them with message_thread_id', async () => {
    const topic = await bot.api.createForumTopic(GROUP, 'Question #12: grants');
    expect(topic).toMatchObject({ name: 'Question #12: grants', icon_color: expect.any(Number) });
    const sent = await bot.api.sendMessage(GROUP, 'A citizen asks about grants.', { message_thread_id: topic.message_thread_id });
    expect(sent).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true, chat: { id: GROUP, type: 'supergroup', is_forum: true } });
    expect(api.lastMessageTo(GROUP)).toMatchObject({ threadId: topic.message_thread_id, text: 'A citizen asks about grants.' });
    await bot.api.editForumTopic(GROUP, topic.message_thread_id, { name: 'Question #12: answered' });
    await expect(bot.api.editForumTopic(GROUP, topic.message_thread_id, { name: 'Question #12: answered' })).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: TOPIC_NOT_MODIFIED',
    });
    await bot.api.closeForumTopic(GROUP, topic.message_thread_id);
    expect(api.topics(GROUP)).toEqual([{ threadId: topic.message_thread_id, name: 'Question #12: answered', iconColor: topic.icon_color, closed: true }]);
    // Unknown topics, topics in private chats and empty names are refused as Telegram does.
    await expect(bot.api.sendMessage(GROUP, 'x', { message_thread_id: 9999 })).rejects.toMatchObject({ description: 'Bad Request: message thread not found' });
    await expect(bot.api.createForumTopic(USER, 'x')).rejects.toMatchObject({ description: 'Bad Request: the chat is not a forum' });
    await expect(bot.api.createForumTopic(GROUP, '')).rejects.toMatchObject({ description: 'Bad Request: TOPIC_NAME_INVALID' });
  });

  it('records what a staff member writes in a topic, with its sender, and shows the chat in order', async () => {
    const topic = await bot.api.createForumTopic(GROUP, 'Question #13');
    await bot.api.sendMessage(GROUP, 'New question', { message_thread_id: topic.message_thread_id });
    const update = api.text(GROUP, 'Here is the answer', { userId: 501, firstName: 'Marat', threadId: topic.message_thread_id });
    const message = update.message as Record<string, unknown>;
    expect(message).toMatchObject({ from: { id: 501, first_name: 'Marat' }, chat: { id: GROUP, type: 'supergroup' }, message_thread_id: topic.message_thread_id });
    expect(api.transcript(GROUP).map((e) => [e.from, e.text])).toEqual([
      ['bot', 'New question'],
      ['user', 'Here is the answer'],
    ]);
  });

  it('deletes a forum topic with every message in it; without the "delete messages" right it is refused', async () => {
    const topic = await bot.api.createForumTopic(GROUP, 'Question #15');
    const other = await bot.api.createForumTopic(GROUP, 'Question #16');
    await bot.api.sendMessage(GROUP, 'Citizen: my address is Abay 12', { message_thread_id: topic.message_thread_id });
    api.text(GROUP, 'We will call you', { userId: 501, threadId: topic.message_thread_id });
    await bot.api.sendMessage(GROUP, 'Citizen: another question', { message_thread_id: other.message_thread_id });
    api.withholdRight(GROUP, 'can_delete_messages');
    await expect(bot.api.deleteForumTopic(GROUP, topic.message_thread_id)).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: CHAT_ADMIN_REQUIRED' });
    expect(api.topics(GROUP)).toHaveLength(2);
    api.withholdRight(GROUP, 'can_delete_messages', false);
    expect(await bot.api.deleteForumTopic(GROUP, topic.message_thread_id)).toBe(true);
    expect(api.topics(GROUP).map((t) => t.threadId)).toEqual([other.message_thread_id]);
    expect(api.transcript(GROUP).map((e) => e.text)).toEqual(['Citizen: another question']);
    // Gone: deleting it again, or posting into it, is refused as Telegram does.
    await expect(bot.api.deleteForumTopic(GROUP, topic.message_thread_id)).rejects.toMatchObject({ description: 'Bad Request: message thread not found' });
    await expect(bot.api.sendMessage(GROUP, 'x', { message_thread_id: topic.message_thread_id })).rejects.toMatchObject({ description: 'Bad Request: message thread not found' });
  });

  it('copies a user message (the question relay) and a bot message to another chat', async () => {
    const update = api.text(USER, 'Where can my son get speech therapy?');
    const id = (update.message as { message_id: number }).message_id;
    const copy = await bot.api.copyMessage(GROUP, USER, id);
    expect(api.visibleMessages(GROUP).find((m) => m.messageId === copy.message_id)?.text).toBe('Where can my son get speech therapy?');
    await bot.api.sendVenue(USER, 43.2, 76.9, 'Centre', 'Almaty, Abay 1');
    const venueCopy = await bot.api.copyMessage(GROUP, USER, api.lastMessageTo(USER)!.messageId);
    expect(api.visibleMessages(GROUP).find((m) => m.messageId === venueCopy.message_id)?.venue?.address).toBe('Almaty, Abay 1');
    await expect(bot.api.copyMessage(GROUP, USER, 9999)).rejects.toMatchObject({ description: 'Bad Request: message to copy not found' });
  });

  it('copies voice messages, audio, video and round videos with their kind; a round video takes no caption', async () => {
    const topic = await bot.api.createForumTopic(GROUP, 'Question #14');
    const thread = { message_thread_id: topic.message_thread_id };
    const sources = [
      api.voice(USER, { caption: 'listen please' }),
      api.audio(USER),
      api.video(USER, { caption: 'the ramp at the entrance' }),
      api.videoNote(USER),
    ].map((u) => (u.message as { message_id: number }).message_id);
    const [voice, audio, video, note] = sources as [number, number, number, number];
    const copied = [
      await bot.api.copyMessage(GROUP, USER, voice, thread),
      await bot.api.copyMessage(GROUP, USER, audio, { ...thread, caption: 'Citizen: [audio]' }),
      await bot.api.copyMessage(GROUP, USER, video, thread),
      await bot.api.copyMessage(GROUP, USER, note, thread),
    ];
    const shown = copied.map((c) => api.visibleMessages(GROUP).find((m) => m.messageId === c.message_id)!);
    expect(shown.map((m) => [m.attachment, m.text, m.threadId])).toEqual([
      ['voice', 'listen please', topic.message_thread_id],
      ['audio', 'Citizen: [audio]', topic.message_thread_id],
      ['video', 'the ramp at the entrance', topic.message_thread_id],
      ['video_note', undefined, topic.message_thread_id],
    ]);
    expect(api.transcript(USER).flatMap((e) => (e.from === 'user' ? [e.other] : []))).toEqual(['voice', 'audio', 'video', 'video_note']);
    // A caption for a round video would be lost: refused, so a label sent that way shows in tests.
    await expect(bot.api.copyMessage(GROUP, USER, note, { caption: 'Citizen:' })).rejects.toMatchObject({ error_code: 400 });
    await expect(bot.api.copyMessage(GROUP, USER, voice, { caption: 'x'.repeat(1025) })).rejects.toMatchObject({
      description: 'Bad Request: message caption is too long',
    });
  });

  it('a copy keeps the file\'s name, an audio\'s title and performer, as Telegram\'s does; a document keeps its caption', async () => {
    const named = [
      api.document(USER, { fileName: 'справка 950101300123.pdf', caption: 'the certificate' }),
      api.audio(USER, { title: 'Interview', performer: 'Aida' }),
      api.video(USER, { fileName: 'ramp.mp4' }),
      api.document(USER, { fileName: '' }),
    ].map((u) => (u.message as { message_id: number }).message_id);
    const copies = [];
    for (const id of named) copies.push(await bot.api.copyMessage(GROUP, USER, id));
    const shown = copies.map((c) => api.visibleMessages(GROUP).find((m) => m.messageId === c.message_id)!);
    expect(shown.map((m) => [m.attachment, m.fileNames, m.text])).toEqual([
      ['document', ['справка 950101300123.pdf'], 'the certificate'],
      ['audio', ['Interview', 'Aida'], undefined],
      ['video', ['ramp.mp4'], undefined],
      ['document', undefined, undefined],
    ]);
  });

  it('answers like Telegram: 429 with retry_after above the rate, 403 for a blocked user, 400 not modified', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => bot.api.sendMessage(USER, `burst ${i}`)));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // 5 a second: even if the burst straddles a second boundary, at most 10 get through.
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    expect(rejected.length).toBeLessThanOrEqual(7);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(GrammyError);
      expect((r.reason as GrammyError).error_code).toBe(429);
      expect((r.reason as GrammyError).parameters.retry_after).toBe(1);
    }
    expect(api.counts.rejected429).toBe(rejected.length);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(bot.api.sendMessage(666, 'hi')).rejects.toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const m = await bot.api.sendMessage(USER, 'Same');
    await expect(bot.api.editMessageText(USER, m.message_id, 'Same')).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining('message is not modified'),
    });
  });

  it('keeps a document and a photo as the user would get them', async () => {
    const { InputFile } = await import('grammy');
    await bot.api.sendDocument(USER, new InputFile(Buffer.from('name,phone\nAigerim,+7 701\n'), 'grants.csv'), { caption: 'Export' });
    expect(api.lastMessageTo(USER)).toMatchObject({ text: 'Export', document: { filename: 'grants.csv', content: 'name,phone\nAigerim,+7 701\n' } });
    await bot.api.sendPhoto(USER, 'photo-file-id', { caption: 'A map' });
    expect(api.lastMessageTo(USER)).toMatchObject({ method: 'sendphoto', text: 'A map', photo: { source: 'photo-file-id' } });
  });

  it('tells live views which chat changed and shows callback answers as toasts', async () => {
    const events: unknown[] = [];
    api.events.on('event', (e) => events.push(e));
    await bot.api.sendMessage(USER, 'Pick', { reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] } });
    const press = api.tap(USER, 'A');
    const query = press.callback_query as { id: string };
    await bot.api.answerCallbackQuery(query.id, { text: 'Saved', show_alert: true });
    expect(events).toContainEqual({ type: 'chat', chatId: USER });
    expect(events).toContainEqual({ type: 'toast', chatId: USER, text: 'Saved', showAlert: true });
  });
});

describe('built-in Bot API pushing to a webhook', () => {
  let api: BotApiServer;
  let server: http.Server;
  const received: Update[] = [];
  let failFirst = 0;
  beforeEach(async () => {
    received.length = 0;
    api = new BotApiServer({ pushToWebhook: true });
    await api.start();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.headers['x-telegram-bot-api-secret-token'] !== 'secret-secret-123') return res.writeHead(401).end();
        if (failFirst > 0) {
          failFirst--;
          return res.writeHead(500).end();
        }
        received.push(JSON.parse(body) as Update);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await api.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts updates in order with the secret, retries a failing bot, and refuses getUpdates meanwhile', async () => {
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await bot.api.setWebhook(url, { secret_token: 'secret-secret-123' });
    failFirst = 2;
    api.text(USER, 'one');
    api.text(USER, 'two');
    await api.webhookIdle();
    expect(received.map((u) => (u.message as { text: string }).text)).toEqual(['one', 'two']);
    expect(api.pendingUpdates).toBe(0);
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    await bot.api.deleteWebhook();
    api.text(USER, 'three');
    expect((await bot.api.getUpdates()).map((u) => u.message?.text)).toEqual(['three']);
  });
});

/** Writes a raw request head (and no body) and resolves with the status line, or '' if none came within `waitMs`. */
function rawStatus(port: number, head: string, waitMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer.split('\r\n')[0] ?? '');
    };
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.once('close', done);
    socket.once('connect', () => socket.write(head));
    const timer = setTimeout(done, waitMs);
  });
}

describe('built-in Bot API against malformed and oversized requests', () => {
  let api: BotApiServer;
  let port = 0;
  beforeEach(async () => {
    api = new BotApiServer();
    await api.start();
    port = Number(new URL(api.apiRoot).port);
  });
  afterEach(async () => api.stop());

  it('answers 400 to a request target that is not a URL, and keeps running', async () => {
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    try {
      for (const target of ['http://[', 'http://a:b@[::1']) {
        expect(await rawStatus(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
        expect(await rawStatus(port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onCrash);
    }
    expect(crashes).toEqual([]);
    expect((await fetch(`${api.apiRoot}/bot${api.token}/getMe`)).status).toBe(200);
  });

  it('refuses a wrong token before reading the body, and a body over 50 MB without buffering it', async () => {
    // Any web page the developer opens may post to 127.0.0.1 (a form or a no-cors fetch): without
    // the token it must not get a gigabyte into the playground's memory first.
    expect(await rawStatus(port, `POST /botWRONG/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000000000\r\n\r\n`)).toMatch(/^HTTP\/1\.1 401 /);
    expect(await rawStatus(port, `POST /bot${api.token}/sendDocument HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 60000000\r\n\r\n`)).toMatch(/^HTTP\/1\.1 413 /);
    const chunked = await fetch(`${api.apiRoot}/bot${api.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 60; i += 1) controller.enqueue(new Uint8Array(1024 * 1024).fill(32));
          controller.close();
        },
      }),
      duplex: 'half',
    }).then((res) => res.status, () => 0);
    // 413, or the connection cut once the limit was passed: never a parsed call.
    expect([413, 0]).toContain(chunked);
    expect(api.callsOf('sendMessage')).toEqual([]);
    expect((await fetch(`${api.apiRoot}/bot${api.token}/getMe`)).status).toBe(200);
  });
});
