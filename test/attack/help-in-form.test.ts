// /help in the middle of a form was refused: "You are in the middle of a form. To use /help,
// finish the form or tap Cancel first." Help is what explains Back, Cancel and Main menu, so the
// person who needed it most (lost in a 14-step application) was told to give the form up to read
// it. In a form /help now shows the help and then the same question again; the answers stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { NOW, openApplication } from '../grant/helpers.js';

describe('attack: /help in the middle of a form', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_help_in_form', { now: () => NOW });
  }, 60_000);
  afterAll(async () => app?.close());

  it.each([
    [6701, 'English', 'How to use Komek'],
    [6702, 'Русский', 'Как пользоваться ботом'],
    [6703, 'Қазақша', 'ботын қалай пайдалануға болады'],
  ] as const)('%s (%s): shows the help, then the question again, and keeps the answers', async (chat, language, help) => {
    await onboard(app, chat, language);
    await openApplication(app, chat);
    await app.say(chat, '1');
    const asked = app.last(chat).text ?? '';
    app.drain(chat);
    await app.command(chat, 'help');
    const texts = app.drain(chat);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(help);
    // The name question, as it was on screen before /help.
    expect(texts[1]).toBe(asked);
    expect((await app.bot.sessions.peek(chat))?.scene).toMatchObject({ id: 'grant-application', step: 'name', answers: { type: 'grant' } });
  });

  it('another command in a form still asks to finish it first', async () => {
    const chat = 6704;
    await onboard(app, chat);
    await openApplication(app, chat);
    app.drain(chat);
    await app.command(chat, 'myhours');
    expect(app.drain(chat)[0]).toContain('You are in the middle of a form');
  });
});
