// "Delete my data" confirmed with a double tap: the first tap erased everything, and the second,
// on the same "Yes, delete everything", made the account again at once (Telegram id, chat, a
// language, announcements on: every broadcast to "everyone" reached the person again) and
// greeted them as a newcomer. The done message says "if you WRITE to the bot again"; a tap on a
// button from before the erasure writes nothing, makes nothing, and says how to start again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import type { Update } from '../../src/platform/bot-api/index.js';

describe('attack: a second tap on "Yes, delete everything"', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_erase_double_tap');
  }, 60_000);
  afterAll(async () => app?.close());

  const account = (chat: number) => app.mongo.collection('users').findOne({ telegramId: chat });

  it('makes no account again; the person is told how to start again, and /start does', async () => {
    const chat = 4401;
    await onboard(app, chat);
    await app.command(chat, 'mydata');
    await app.tapLike(chat, 'Delete all my data');
    const yes = app.api.tap(chat, '1. Yes, delete everything', { enqueue: false });
    const query = yes.callback_query as { id: string };
    const again: Update = { ...yes, update_id: yes.update_id + 1, callback_query: { ...query, id: `${query.id}-again` } };
    await app.send(yes);
    expect(app.drain(chat).join('\n')).toContain('your data has been deleted');
    expect(await account(chat)).toBeNull();

    await app.send(again);
    expect(await account(chat)).toBeNull();
    expect(app.drain(chat)).toEqual([]);
    const toast = app.api.callsOf('answerCallbackQuery').find((c) => (c.payload as { callback_query_id: string }).callback_query_id === `${query.id}-again`);
    expect((toast?.payload as { text?: string }).text).toContain('/start');
    // An old menu button, tapped later, makes nothing either.
    await app.tapLike(chat, 'My data');
    expect(await account(chat)).toBeNull();

    await app.command(chat, 'start');
    expect(app.drain(chat).join('\n')).toContain('Please choose a language');
    expect(await account(chat)).toMatchObject({ telegramId: chat, announcements: true });
  });
});
