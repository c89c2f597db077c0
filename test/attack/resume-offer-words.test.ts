// "You have an unfinished form: continue or start again?" is a question with two buttons; like
// every other, its words answer it in any of the three languages. Before, "продолжить" typed by
// someone using the bot in Kazakh went to the knowledge base ("I have no answer to that yet").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { NOW, openApplication } from '../grant/helpers.js';

describe('the unfinished-form offer answered in another language', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_resume_words', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  async function withDraft(chat: number, language: 'Қазақша' | 'English') {
    await onboard(app, chat, language);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, 'Aliya Sarsenbayeva');
    await app.command(chat, 'start');
    await openApplication(app, chat);
    expect(app.last(chat).buttons.flat()).toHaveLength(2);
    app.drain(chat);
  }

  it('"продолжить" in a Kazakh chat continues where the form was left', async () => {
    const chat = 7981;
    await withDraft(chat, 'Қазақша');
    await app.say(chat, 'продолжить');
    expect(app.last(chat).text).toContain('ЖСН-іңізді жазыңыз');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.name).toBe('Aliya Sarsenbayeva');
  });

  it('"начать заново" in an English chat starts the form again', async () => {
    const chat = 7982;
    await withDraft(chat, 'English');
    await app.say(chat, 'начать заново');
    expect(app.last(chat).text).toContain('Step 1 of 14');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.name).toBeUndefined();
  });

  it('a main-menu entry typed in another language opens it', async () => {
    await onboard(app, 7983, 'Қазақша');
    await app.command(7983, 'menu');
    app.drain(7983);
    await app.say(7983, 'Мои данные');
    expect(app.drain(7983).join('\n')).toContain('«Көмек» боты сіз туралы сақтайтын барлық мәлімет');
    await onboard(app, 7984);
    await app.command(7984, 'menu');
    app.drain(7984);
    await app.say(7984, 'Стать волонтёром');
    expect(app.last(7984).text).toContain('What is your full name?');
  });
});
