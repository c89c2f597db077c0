// The language picker is a question of its own, but Back, Cancel and Main menu must still work
// while it is open, typed as well as tapped; and once the person has gone elsewhere, a typed "2"
// answers the question on screen, not the picker they left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';

describe('leaving the language picker', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_picker_exit');
  });
  afterAll(async () => app?.close());

  /** A Russian-speaking user at the centre search's "who" question. */
  async function atWho(chat: number) {
    await onboard(app, chat, 'Русский');
    await openSearch(app, chat, 'Русский');
    await app.say(chat, 'Караганда');
    expect(app.last(chat).text).toContain('Кому нужна помощь?');
    app.drain(chat);
  }
  const locale = async (chat: number) => (await app.bot.sessions.peek(chat))?.locale;

  it('"Отмена" typed at the picker cancels the form', async () => {
    const chat = 7401;
    await atWho(chat);
    await app.command(chat, 'language');
    app.drain(chat);
    await app.say(chat, 'Отмена');
    expect(app.drain(chat).join('\n')).toContain('Заполнение прервано');
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
  });

  it('"Назад" typed at the picker closes it and asks the form\'s question again; "2" then answers it', async () => {
    const chat = 7402;
    await atWho(chat);
    await app.command(chat, 'language');
    app.drain(chat);
    await app.say(chat, 'Назад');
    expect(app.last(chat).text).toContain('Кому нужна помощь?');
    await app.say(chat, '2');
    expect(app.last(chat).text).toContain('Какая помощь нужна?');
    expect(await locale(chat)).toBe('ru');
  });

  it('after /menu, a typed "1" picks from the menu, not a language', async () => {
    const chat = 7403;
    await onboard(app, chat, 'Русский');
    await app.command(chat, 'language');
    await app.command(chat, 'menu');
    app.drain(chat);
    await app.say(chat, '1');
    expect(await locale(chat)).toBe('ru');
    expect(app.drain(chat).join('\n')).toContain('Где искать?');
  });

  it('after a tap on the form\'s Cancel button, a typed "3" is not English', async () => {
    const chat = 7404;
    await atWho(chat);
    await app.command(chat, 'language');
    await app.tap(chat, 'Отмена');
    app.drain(chat);
    await app.say(chat, '3');
    expect(await locale(chat)).toBe('ru');
  });
});
