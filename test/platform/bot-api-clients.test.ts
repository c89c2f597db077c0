import { Bot, GrammyError } from 'grammy';
import { Telegraf } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiServer } from '../../src/platform/bot-api/index.js';

const CHAT = 7001;

describe('built-in Bot API with grammY', () => {
  let api: BotApiServer;
  let bot: Bot;

  beforeEach(async () => {
    api = new BotApiServer();
    await api.start();
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  });

  afterEach(async () => {
    if (bot.isRunning()) await bot.stop();
    await api.stop();
  });

  it('has a realistic token and answers getMe', async () => {
    expect(api.token).toMatch(/^\d+:[A-Za-z0-9_-]{35,}$/);
    const me = await bot.api.getMe();
    expect(me).toMatchObject({ id: 999, is_bot: true, username: 'komek_test_bot' });
  });

  it('records sendMessage and returns a message with ids per chat', async () => {
    const first = await bot.api.sendMessage(CHAT, 'Salem!', {
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }, { text: 'No', callback_data: 'n' }]] },
    });
    const second = await bot.api.sendMessage(CHAT, 'Two', {
      reply_markup: { keyboard: [[{ text: 'Share phone', request_contact: true }]], resize_keyboard: true },
    });
    expect(first).toMatchObject({ message_id: 1, chat: { id: CHAT, type: 'private' }, text: 'Salem!' });
    expect(first.reply_markup?.inline_keyboard[0]?.[0]?.text).toBe('Yes');
    expect(second.message_id).toBe(2);
    expect(api.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    const [m1, m2] = api.messagesTo(CHAT);
    expect(m1).toMatchObject({ text: 'Salem!', buttons: [['Yes', 'No']], callbackData: [['y', 'n']] });
    expect(m2).toMatchObject({ text: 'Two', keyboard: [['Share phone']], keyboardRequests: { 'Share phone': 'contact' } });
    expect(api.currentKeyboard(CHAT)).toEqual([['Share phone']]);
    expect(api.counts.sent).toBe(2);
    expect(api.sentByChat.get(CHAT)).toBe(2);
  });

  it('edits and deletes messages like Telegram', async () => {
    const msg = await bot.api.sendMessage(CHAT, 'Step 1 of 3');
    await bot.api.editMessageText(CHAT, msg.message_id, 'Step 2 of 3', {
      reply_markup: { inline_keyboard: [[{ text: 'Back', callback_data: 'back' }]] },
    });
    expect(api.lastMessageTo(CHAT)).toMatchObject({ kind: 'edited', text: 'Step 2 of 3', buttons: [['Back']] });
    expect(api.visibleMessages(CHAT)).toHaveLength(1);
    await expect(bot.api.editMessageText(CHAT, msg.message_id, 'Step 2 of 3', {
      reply_markup: { inline_keyboard: [[{ text: 'Back', callback_data: 'back' }]] },
    })).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining('message is not modified') });
    await expect(bot.api.editMessageText(CHAT, 999, 'x')).rejects.toBeInstanceOf(GrammyError);
    await bot.api.deleteMessage(CHAT, msg.message_id);
    expect(api.visibleMessages(CHAT)).toEqual([]);
    expect(api.messagesTo(CHAT)).toHaveLength(2);
  });

  it('sends venues and rejects oversized callback data', async () => {
    await bot.api.sendVenue(CHAT, 43.238, 76.945, 'Centre', 'Almaty, Abay 1');
    expect(api.lastMessageTo(CHAT)?.venue).toEqual({ latitude: 43.238, longitude: 76.945, title: 'Centre', address: 'Almaty, Abay 1' });
    await expect(
      bot.api.sendMessage(CHAT, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] } }),
    ).rejects.toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
  });

  it('delivers pushed updates to bot.start() handlers through getUpdates', async () => {
    const seen: string[] = [];
    bot.command('start', async (ctx) => {
      seen.push(`start:${ctx.match}`);
      await ctx.reply('Welcome', { reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } });
    });
    bot.callbackQuery('go', async (ctx) => {
      seen.push('go');
      await ctx.answerCallbackQuery();
      await ctx.editMessageText('Going');
    });
    bot.on('message:text', async (ctx) => {
      seen.push(`text:${ctx.message.text}:${ctx.from.language_code}`);
      await ctx.reply(`echo ${ctx.message.text}`);
    });
    void bot.start({ drop_pending_updates: false, timeout: 10 });

    api.command(CHAT, '/start', 'ref42');
    const [welcome] = await api.waitForNewMessage(CHAT, 0);
    expect(welcome).toMatchObject({ text: 'Welcome', buttons: [['Go']] });

    api.tap(CHAT, 'Go');
    const [edited] = await api.waitForNewMessage(CHAT, 1);
    expect(edited).toMatchObject({ kind: 'edited', text: 'Going', messageId: welcome!.messageId });

    api.text(CHAT, 'hello', { languageCode: 'kk' });
    const [echo] = await api.waitForNewMessage(CHAT, 2);
    expect(echo?.text).toBe('echo hello');
    expect(seen).toEqual(['start:ref42', 'go', 'text:hello:kk']);
    expect(api.callsOf('answerCallbackQuery')).toHaveLength(1);

    await bot.stop();
    expect(api.pendingUpdates).toBe(0);
  });

  it('builds every kind of update with increasing ids', () => {
    const updates = [
      api.text(CHAT, 'hi'),
      api.command(CHAT, 'help'),
      api.callback(CHAT, 'data'),
      api.contact(CHAT, '+77001234567'),
      api.location(CHAT, 43.2, 76.9),
      api.sticker(CHAT),
      api.photo(CHAT),
      api.voice(CHAT),
      api.document(CHAT),
      api.myChatMember(CHAT, 'kicked'),
    ];
    const ids = updates.map((u) => u.update_id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(updates[1]).toMatchObject({ message: { text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } });
    expect(updates[3]).toMatchObject({ message: { contact: { phone_number: '+77001234567', user_id: CHAT } } });
    expect(updates[9]).toMatchObject({ my_chat_member: { new_chat_member: { status: 'kicked' } } });
    expect(api.pendingUpdates).toBe(10);
  });

  it('injects 429 with retry_after, 403 for blocked chats, and one-shot failures', async () => {
    const limited = new BotApiServer({ rateLimitPerSecond: 2, blockedChats: new Set([666]) });
    await limited.start();
    try {
      const b = new Bot(limited.token, { client: { apiRoot: limited.apiRoot } });
      // Start at the beginning of a 1-second window so the three sends share one window.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
      await b.api.sendMessage(1, 'a');
      await b.api.sendMessage(2, 'b');
      const err = await b.api.sendMessage(3, 'c').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrammyError);
      expect((err as GrammyError).error_code).toBe(429);
      expect((err as GrammyError).parameters.retry_after).toBe(1);

      const blocked = await b.api.sendMessage(666, 'x').catch((e: unknown) => e);
      expect(blocked).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });

      limited.failNext('getMe', 500, 'Internal Server Error');
      await expect(b.api.getMe()).rejects.toMatchObject({ error_code: 500 });
      await expect(b.api.getMe()).resolves.toMatchObject({ id: 999 });
      expect(limited.counts).toMatchObject({ sent: 2, rejected429: 1, rejected403: 1, injected: 1 });
    } finally {
      await limited.stop();
    }
  });

  it('parses urlencoded and multipart bodies', async () => {
    const url = `${api.apiRoot}/bot${api.token}/sendMessage`;
    const markup = JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] });
    const r1 = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(CHAT), text: '123', reply_markup: markup }),
    });
    expect(await r1.json()).toMatchObject({ ok: true, result: { text: '123', chat: { id: CHAT } } });
    const form = new FormData();
    form.set('chat_id', String(CHAT));
    form.set('text', 'Multipart сәлем');
    form.set('reply_markup', markup);
    const r2 = await fetch(url, { method: 'POST', body: form });
    expect(await r2.json()).toMatchObject({ ok: true, result: { text: 'Multipart сәлем' } });
    expect(api.messagesTo(CHAT).map((m) => [m.text, m.buttons])).toEqual([
      ['123', [['A']]],
      ['Multipart сәлем', [['A']]],
    ]);
    const wrongToken = await fetch(`${api.apiRoot}/bot1:nope/getMe`);
    expect(wrongToken.status).toBe(401);
  });

  it('waits for calls and supports webhooks', async () => {
    const pending = api.waitFor((c) => c.method === 'setMyCommands', 2000);
    await bot.api.setMyCommands([{ command: 'start', description: 'Start' }]);
    expect((await pending).payload.commands).toEqual([{ command: 'start', description: 'Start' }]);
    expect(await bot.api.getMyCommands()).toEqual([{ command: 'start', description: 'Start' }]);

    await bot.api.setWebhook('http://127.0.0.1:1/hook', { secret_token: 's3cret' });
    expect((await bot.api.getWebhookInfo()).url).toBe('http://127.0.0.1:1/hook');
    await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    const update = api.text(CHAT, 'via webhook');
    expect(api.pendingUpdates).toBe(0); // with a webhook set, updates are not queued for polling
    expect(update.message).toMatchObject({ text: 'via webhook' });
    await bot.api.deleteWebhook();
  });
});

describe('built-in Bot API with Telegraf', () => {
  it('runs a Telegraf bot through long polling', async () => {
    const api = new BotApiServer();
    await api.start();
    const bot = new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot } });
    bot.start((ctx) => ctx.reply('Telegraf welcome', { reply_markup: { keyboard: [[{ text: 'Menu' }]] } }));
    const launched = bot.launch({ dropPendingUpdates: false });
    try {
      api.command(CHAT, '/start');
      const [msg] = await api.waitForNewMessage(CHAT, 0);
      expect(msg).toMatchObject({ text: 'Telegraf welcome', keyboard: [['Menu']] });
    } finally {
      bot.stop('test');
      await launched.catch(() => {});
      await api.stop();
    }
  });
});
