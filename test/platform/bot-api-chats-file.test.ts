// The playground's chats file: a Bot API server started again over the same file shows every chat
// as it was (both sides, edits, buttons, the reply keyboard, topics), goes on numbering messages
// after the last one and gives the bot the updates it had not confirmed; the file is sealed with
// the playground's key, and one it cannot read is moved aside instead of being written over.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApiServer, type ChatsCodec } from '../../src/platform/bot-api/index.js';
import { createDataCipher } from '../../src/security/crypto.js';

const USER = 7100003;
const GROUP = -1007100000000;

function codecWith(key: Buffer): ChatsCodec {
  const cipher = createDataCipher(key);
  return { seal: (plain) => cipher.encrypt(plain), open: (sealed) => cipher.decrypt(sealed) };
}

describe('built-in Bot API chats file', () => {
  let dir: string;
  let file: string;
  const key = Buffer.alloc(32, 7);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'komek-chats-'));
    file = join(dir, 'chats.json');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('shows every chat as it was after a restart, and goes on numbering after the last message', () => {
    const first = new BotApiServer();
    expect(first.keepChatsIn(file, codecWith(key))).toBe('new');
    first.text(USER, 'My IIN is 900101300123', { languageCode: 'en' });
    const menu = first.invoke('sendMessage', {
      chat_id: USER,
      text: 'Main menu',
      reply_markup: { inline_keyboard: [[{ text: '1. Find a centre', callback_data: 'menu:rehab' }]] },
    }) as { message_id: number };
    first.invoke('editMessageText', { chat_id: USER, message_id: menu.message_id, text: 'Main menu (edited)', reply_markup: { inline_keyboard: [[{ text: '1. Find a centre', callback_data: 'menu:rehab' }]] } });
    first.invoke('sendMessage', { chat_id: USER, text: 'Share it?', reply_markup: { keyboard: [[{ text: 'Share location', request_location: true }]], resize_keyboard: true } });
    const topic = first.invoke('createForumTopic', { chat_id: GROUP, name: 'Q-1 · grants' }) as { message_thread_id: number };
    first.invoke('sendMessage', { chat_id: GROUP, message_thread_id: topic.message_thread_id, text: 'A question' });
    const before = { user: first.transcript(USER), group: first.transcript(GROUP), keyboard: first.currentKeyboard(USER), topics: first.topics(GROUP) };

    // Personal data typed in the chat is not in the file as plain text.
    expect(readFileSync(file, 'utf8')).not.toContain('900101300123');

    const second = new BotApiServer();
    expect(second.keepChatsIn(file, codecWith(key))).toBe('restored');
    expect(second.transcript(USER)).toEqual(before.user);
    expect(second.transcript(GROUP)).toEqual(before.group);
    expect(second.currentKeyboard(USER)).toEqual(before.keyboard);
    expect(second.topics(GROUP)).toEqual(before.topics);
    expect(second.visibleMessages(USER).find((m) => m.messageId === menu.message_id)).toMatchObject({ text: 'Main menu (edited)', callbackData: [['menu:rehab']] });
    // The button from before the restart can still be pressed and answered in place.
    second.callback(USER, 'menu:rehab', menu.message_id);
    second.invoke('editMessageText', { chat_id: USER, message_id: menu.message_id, text: 'Where should I look?' });
    expect(second.visibleMessages(USER).find((m) => m.messageId === menu.message_id)?.text).toBe('Where should I look?');
    const next = second.invoke('sendMessage', { chat_id: USER, text: 'after the restart' }) as { message_id: number };
    expect(next.message_id).toBeGreaterThan(Math.max(...before.user.map((m) => m.messageId)));
  });

  it('gives the bot after a restart the updates it had not confirmed, and forgets confirmed ones', async () => {
    const first = new BotApiServer();
    first.keepChatsIn(file, codecWith(key));
    const sent = first.text(USER, 'sent just before a SIGKILL', { languageCode: 'en' });

    const second = new BotApiServer({ firstUpdateId: sent.update_id + 1000 });
    second.keepChatsIn(file, codecWith(key));
    await second.start();
    try {
      const poll = async (offset: number) =>
        ((await (await fetch(`${second.apiRoot}/bot${second.token}/getUpdates?offset=${offset}`)).json()) as { result: Array<{ update_id: number; message?: { text?: string } }> }).result;
      const got = await poll(0);
      expect(got.map((u) => [u.update_id, u.message?.text])).toEqual([[sent.update_id, 'sent just before a SIGKILL']]);
      // Confirmed with the next offset: gone from the file too.
      expect(await poll(sent.update_id + 1)).toEqual([]);
    } finally {
      await second.stop();
    }
    const third = new BotApiServer();
    third.keepChatsIn(file, codecWith(key));
    expect(third.pendingUpdates).toBe(0);
    expect(third.transcript(USER).map((m) => m.text)).toEqual(['sent just before a SIGKILL']);
  });

  it('moves a file it cannot read aside and starts with no chats, without writing over it', () => {
    const first = new BotApiServer();
    first.keepChatsIn(file, codecWith(key));
    first.invoke('sendMessage', { chat_id: USER, text: 'kept' });
    const sealed = readFileSync(file, 'utf8');

    // Another DATA_KEY cannot open it.
    const other = new BotApiServer();
    expect(other.keepChatsIn(file, codecWith(Buffer.alloc(32, 9)))).toBe('unreadable');
    expect(other.transcript(USER)).toEqual([]);
    expect(readFileSync(`${file}.unreadable`, 'utf8')).toBe(sealed);

    // Nor is a broken file read as chats.
    writeFileSync(file, '{"format":1,"chats":[{"key":');
    const broken = new BotApiServer();
    expect(broken.keepChatsIn(file, codecWith(key))).toBe('unreadable');
    expect(existsSync(file)).toBe(true); // written again, empty, for the next change
    expect(broken.transcript(USER)).toEqual([]);
  });
});
