// A person corrects a typo by editing the message they sent (the IIN, their name). Telegram tells
// the bot, but the form took the first text and has moved on. "Send the corrected text as a new
// message" alone would have them send their name at the IIN question; in a form they are told
// how to change the answer (Back) and get the question that is open now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { NOW, openApplication } from '../grant/helpers.js';

describe('an answer edited after it was sent', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_edited_answer', { now: () => NOW });
  });
  afterAll(async () => app?.close());

  const edit = (chat: number, messageId: number, text: string) =>
    app.api.push(
      {
        edited_message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000) - 5,
          edit_date: Math.floor(Date.now() / 1000),
          from: { id: chat, is_bot: false, first_name: 'Test' },
          chat: { id: chat, type: 'private', first_name: 'Test' },
          text,
        },
      },
      { enqueue: false },
    );

  it.each([
    { chat: 7701, language: 'English', back: 'Back', iin: 'Please type your IIN' },
    { chat: 7702, language: 'Русский', back: 'Назад', iin: 'Напишите ваш ИИН' },
    { chat: 7703, language: 'Қазақша', back: 'Артқа', iin: 'ЖСН-іңізді жазыңыз' },
  ] as const)('in a form ($language): says to go Back to change it, then asks the open question again', async ({ chat, language, back, iin }) => {
    await onboard(app, chat, language);
    await openApplication(app, chat);
    await app.say(chat, '1');
    const typed = app.api.text(chat, 'Aliya Sarsenbayevv', { enqueue: false });
    await app.send(typed);
    const name = (typed.message as { message_id: number }).message_id;
    expect(app.last(chat).text).toContain(iin);
    app.drain(chat);
    const sentName = app.api.messagesTo(chat).length;
    await app.send(edit(chat, name, 'Aliya Sarsenbayeva'));
    const said = app.drain(chat);
    expect(said.length, said.join('\n')).toBeGreaterThan(1);
    expect(said[0]).toContain(language === 'English' ? `"${back}"` : `«${back}»`);
    expect(app.last(chat).text).toContain(iin);
    expect(app.api.messagesTo(chat).length).toBeGreaterThan(sentName);
    // Nothing changed: the name is the one first sent.
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.name).toBe('Aliya Sarsenbayevv');
  });

  it('outside a form: the same plain notice as before, nothing else', async () => {
    const chat = 7704;
    await onboard(app, chat);
    await app.send(edit(chat, 1, 'hello'));
    expect(app.drain(chat)).toEqual(['Changes to a message already sent do not reach me. Please send the corrected text as a new message.']);
  });
});
