// People stop a form with the word they would say: "стоп", "выход", "тоқта", "stop". At a text
// question (a name) such a word was taken as the answer and stored; it cancels the form, as
// "Cancel" typed does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { NOW, openApplication } from '../grant/helpers.js';

describe('stop words typed in a form', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_stop_words', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  it.each([
    { chat: 7996, language: 'Русский', typed: 'Стоп' },
    { chat: 7997, language: 'Русский', typed: 'выход' },
    { chat: 7998, language: 'Қазақша', typed: 'Тоқта' },
    { chat: 7999, language: 'English', typed: 'stop' },
  ] as const)('"$typed" at the name question cancels ($language)', async ({ chat, language, typed }) => {
    await onboard(app, chat, language);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, typed);
    const session = await app.bot.sessions.peek(chat);
    expect(session?.scene).toBeUndefined();
    expect(session?.drafts?.['grant-application']).toBeUndefined();
  });
});
