// The very first question is the language. People who cannot tap type its name as they say
// it: "на русском", "казахский язык", "орыс тілі", "Kazakh language", "Qazaqsha".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';

describe('the language typed in words at the first question', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_language');
  });
  afterAll(async () => app?.close());

  it.each([
    { chat: 7501, typed: 'на русском', locale: 'ru' },
    { chat: 7502, typed: 'русский язык', locale: 'ru' },
    { chat: 7503, typed: 'орыс тілі', locale: 'ru' },
    { chat: 7504, typed: 'казахский язык', locale: 'kk' },
    { chat: 7505, typed: 'Kazakh language', locale: 'kk' },
    { chat: 7506, typed: 'Qazaqsha', locale: 'kk' },
    { chat: 7507, typed: 'на казахском', locale: 'kk' },
    { chat: 7508, typed: 'ағылшын тілі', locale: 'en' },
    { chat: 7509, typed: 'английский язык', locale: 'en' },
    { chat: 7510, typed: 'in English', locale: 'en' },
  ] as const)('"$typed" chooses $locale', async ({ chat, typed, locale }) => {
    await app.command(chat, 'start', undefined, 'de');
    await app.say(chat, typed);
    expect((await app.bot.sessions.peek(chat))?.locale).toBe(locale);
  });

  it('a word that names no language gets the picker again', async () => {
    await app.command(7520, 'start', undefined, 'de');
    app.drain(7520);
    await app.say(7520, 'язык');
    expect(app.drain(7520).join('\n')).toContain('Батырманы басыңыз немесе оның нөмірін жазыңыз (1 мен 3 аралығында)');
    expect((await app.bot.sessions.peek(7520))?.locale).toBeUndefined();
  });
});
