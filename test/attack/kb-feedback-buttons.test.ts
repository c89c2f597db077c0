// The buttons under a knowledge base answer stay on screen after the person asks something else.
// Someone scrolls up and taps "Ask a person" under the first answer: the question that reaches
// the operators must be the one that answer was for, not the latest one. Someone taps "This
// helped" under the first answer after asking again: the newer question must not be forgotten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import type { MessageState } from '../../src/platform/bot-api/types.js';

const FIRST = 'Where do I get a disability certificate for my son?';
const SECOND = 'How do I get a wheelchair for my mother?';

describe('knowledge base: buttons of an earlier answer', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_kb_buttons');
  }, 60_000);
  afterAll(async () => app?.close());

  /** Asks the knowledge base and returns the answer's message (it has the buttons). */
  async function lookUp(chat: number, question: string): Promise<MessageState> {
    await app.say(chat, question);
    const answer = app.api.visibleMessages(chat).filter((m) => m.buttons.flat().includes('Ask a person')).at(-1)!;
    expect(answer.text).toContain('Did this answer your question?');
    app.drain(chat);
    return answer;
  }

  async function press(chat: number, message: MessageState, label: string): Promise<void> {
    const row = message.buttons.findIndex((r) => r.includes(label));
    const data = message.callbackData[row]![message.buttons[row]!.indexOf(label)]!;
    await app.send(app.api.callback(chat, data, message.messageId, { enqueue: false }));
  }

  async function sendInquiry(chat: number): Promise<string> {
    await app.tapLike(chat, 'Rehabilitation');
    const asked = app.drain(chat).join('\n');
    if (asked.includes('Write your question in your own words')) {
      await app.say(chat, FIRST);
    }
    await app.tapLike(chat, 'Almaty (city)');
    app.drain(chat);
    const [inquiry] = await app.bot.services.inquiries.listForUser(chat);
    return app.bot.services.inquiries.messages(inquiry!)[0]!.text ?? '';
  }

  it('"Ask a person" under an earlier answer sends that answer\'s question, not the latest one', async () => {
    const chat = 501;
    await onboard(app, chat);
    const first = await lookUp(chat, FIRST);
    await lookUp(chat, SECOND);
    await press(chat, first, 'Ask a person');
    expect(await sendInquiry(chat)).toBe(FIRST);
    // The look-up marked as taken to a person is the first one, not the latest.
    const logs = await app.bot.services.faq.logModel().find({}).sort({ at: 1 }).lean();
    const [firstLog, secondLog] = logs.slice(-2);
    expect(firstLog?.asked).toBe(true);
    expect(secondLog?.asked).toBeFalsy();
  });

  it('"Ask a person" under an answer too old for the session to know asks for the question again', async () => {
    const chat = 504;
    await onboard(app, chat);
    const first = await lookUp(chat, FIRST);
    for (const q of [SECOND, 'how do I become a volunteer?', 'what documents do I need for a grant?']) await lookUp(chat, q);
    await press(chat, first, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    expect(app.drain(chat).join('\n')).toContain('Write your question in your own words');
  });

  it('"Ask a person" under the latest answer still sends the latest question', async () => {
    const chat = 502;
    await onboard(app, chat);
    await lookUp(chat, FIRST);
    const second = await lookUp(chat, SECOND);
    await press(chat, second, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    await app.tapLike(chat, 'Almaty (city)');
    const [inquiry] = await app.bot.services.inquiries.listForUser(chat);
    expect(app.bot.services.inquiries.messages(inquiry!)[0]!.text).toBe(SECOND);
  });

  it('"Ask a person" under the offer for a voice message does not send an earlier typed question instead', async () => {
    const chat = 507;
    await onboard(app, chat);
    await lookUp(chat, FIRST);
    await app.send(app.api.voice(chat, { enqueue: false }));
    const offer = app.api.visibleMessages(chat).at(-1)!;
    expect(offer.buttons.flat()).toContain('Send it to a person');
    app.drain(chat);
    await press(chat, offer, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    expect(app.drain(chat).join('\n')).toContain('Write your question in your own words');
  });

  it('"This helped" tapped twice thanks once and counts once', async () => {
    const chat = 505;
    await onboard(app, chat);
    const answer = await lookUp(chat, FIRST);
    await press(chat, answer, 'This helped');
    await press(chat, answer, 'This helped');
    const said = app.drain(chat).join('\n');
    expect(said.match(/Glad it helped/g)).toHaveLength(1);
    expect(app.api.callsOf('answerCallbackQuery').at(-1)?.payload.text).toBe('Already noted, thank you.');
    const log = await app.bot.services.faq.logModel().findOne({}).sort({ at: -1 }).lean();
    expect(log?.helped).toBe(true);
  });

  it('"This helped" tapped after the question went to a person does not count it as settled by the knowledge base', async () => {
    const chat = 506;
    await onboard(app, chat);
    const answer = await lookUp(chat, FIRST);
    await press(chat, answer, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    await app.tapLike(chat, 'Almaty (city)');
    app.drain(chat);
    await press(chat, answer, 'This helped');
    expect(app.drain(chat).join('\n')).not.toContain('Glad it helped');
    const log = await app.bot.services.faq.logModel().findOne({}).sort({ at: -1 }).lean();
    expect(log?.asked).toBe(true);
    expect(log?.helped).toBeFalsy();
  });

  it('"This helped" under an earlier answer keeps the newer question for "Ask a person"', async () => {
    const chat = 503;
    await onboard(app, chat);
    const first = await lookUp(chat, FIRST);
    await lookUp(chat, SECOND);
    await press(chat, first, 'This helped');
    app.drain(chat);
    await app.say(chat, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    const asked = app.drain(chat).join('\n');
    expect(asked).not.toContain('Write your question in your own words');
    await app.tapLike(chat, 'Almaty (city)');
    const [inquiry] = await app.bot.services.inquiries.listForUser(chat);
    expect(app.bot.services.inquiries.messages(inquiry!)[0]!.text).toBe(SECOND);
  });
});
