// "Да", "Иә" and "No" are the words people type for a "Yes, …" / "No, …" button. Two letters are
// too few to guess a label from its beginning, but a whole first word is no guess.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('a two-letter yes or no at a "Yes, …" / "No, …" question', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_short_yes_no');
  });
  afterAll(async () => app?.close());

  it.each([
    { chat: 7801, language: 'Русский', entry: 'Мои данные', typed: 'да', outcome: 'Готово: ваши данные удалены' },
    { chat: 7802, language: 'Қазақша', entry: 'Менің деректерім', typed: 'Иә', outcome: 'Деректеріңіз жойылды' },
    { chat: 7803, language: 'English', entry: 'My data', typed: 'no', outcome: 'Nothing was deleted.' },
    { chat: 7804, language: 'Қазақша', entry: 'Менің деректерім', typed: 'да', outcome: 'Деректеріңіз жойылды' },
  ] as const)('"$typed" in My data ($language)', async ({ chat, language, entry, typed, outcome }) => {
    await onboard(app, chat, language);
    await app.tapLike(chat, entry);
    await app.say(chat, '1');
    app.drain(chat);
    await app.say(chat, typed);
    expect(app.drain(chat).join('\n')).toContain(outcome);
  });

  it('two letters that begin no option\'s first word are still refused', async () => {
    const chat = 7805;
    await onboard(app, chat);
    await app.tapLike(chat, 'My data');
    await app.say(chat, '1');
    app.drain(chat);
    await app.say(chat, 'ye');
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number');
    expect(await app.bot.services.users.get(chat)).not.toBeNull();
  });
});
