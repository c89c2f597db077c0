// With a question to an operator open, "Anything you write now joins this question" (its "sent"
// message). A number typed alone did not: "3", the answer to an operator's "How many children do
// you have?", opened the main menu's third entry (family business support), and the operator never
// got it. It now joins the question, and the reply says how to reach the menu; a menu entry's name
// still opens it, and with no question open a number still picks from the menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';

describe('attack: a number typed as an answer to an operator', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_number_answer');
  }, 60_000);
  afterAll(async () => app?.close());

  /** Onboards `chat` and sends a question to a person; returns its reference. */
  async function askedPerson(chat: number, language: Parameters<typeof onboard>[2], question: string): Promise<string> {
    await onboard(app, chat, language);
    await app.command(chat, 'ask');
    await app.say(chat, '1');
    await app.say(chat, question);
    await app.say(chat, '1');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(ref).toBeDefined();
    return ref!;
  }

  const followUps = async (ref: string) => {
    const inquiry = await app.bot.services.inquiries.get(ref);
    return app.bot.services.inquiries.messages(inquiry!).filter((m) => m.from === 'citizen').map((m) => m.text);
  };

  it.each([
    [6901, 'English', '3', 'Added to your question', '/menu shows the menu'],
    [6902, 'Русский', '3.', 'Добавлено к вашему вопросу', '/menu открывает меню'],
    [6903, 'Қазақша', '№2', 'сұрағыңызға қосылды', 'мәзірді /menu ашады'],
  ] as const)('%s (%s): %j joins the open question, and the reply says how to reach the menu', async (chat, language, typed, added, menuHint) => {
    const ref = await askedPerson(chat, language, 'Can my family get a grant for a sewing workshop?');
    await app.say(chat, typed);
    const reply = app.drain(chat).join('\n');
    expect(reply).toContain(added);
    expect(reply).toContain(ref);
    expect(reply).toContain(menuHint);
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
    expect(await followUps(ref)).toContain(typed);
  });

  it('a menu entry typed by its name still opens it with a question open, and words still join the question as before', async () => {
    const chat = 6904;
    const ref = await askedPerson(chat, 'English', 'Can my family get a grant for a sewing workshop?');
    await app.say(chat, 'We have 3 children');
    expect(app.drain(chat).join('\n')).toBe(`Added to your question ${ref}. An operator will answer here.`);
    await app.say(chat, 'Family business support');
    expect((await app.bot.sessions.peek(chat))?.scene?.id).toBe('grant-hub');
    expect(await followUps(ref)).not.toContain('Family business support');
  });

  // A word of a menu entry's Kazakh name (the key words of Kazakh labels) or a name's beginning is
  // a guess: «бизнес» (the same word in Russian) answers an operator's "what kind of support?",
  // «деректерім» (my data) "what did you send?". With a question open they join it; only an
  // entry's whole name opens it.
  it.each([
    [6906, 'Қазақша', 'бизнес', 'сұрағыңызға қосылды'],
    [6907, 'Русский', 'бизнес', 'Добавлено к вашему вопросу'],
    [6908, 'Қазақша', 'деректерім', 'сұрағыңызға қосылды'],
    [6909, 'Қазақша', 'сұрақ', 'сұрағыңызға қосылды'],
    [6910, 'Қазақша', 'biznes', 'сұрағыңызға қосылды'],
  ] as const)('%s (%s): %j, a guess at a menu entry, joins the open question', async (chat, language, typed, added) => {
    const ref = await askedPerson(chat, language, 'Отбасымызға грант бере ме?');
    await app.say(chat, typed);
    expect(app.drain(chat).join('\n')).toContain(added);
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
    expect(await followUps(ref)).toContain(typed);
  });

  it('a Kazakh menu entry typed by its whole name still opens it with a question open', async () => {
    const chat = 6911;
    const ref = await askedPerson(chat, 'Қазақша', 'Отбасымызға грант бере ме?');
    await app.say(chat, 'Менің деректерім');
    expect((await app.bot.sessions.peek(chat))?.scene?.id).toBe('my-data');
    expect(await followUps(ref)).not.toContain('Менің деректерім');
  });

  it('with no question open, a number still picks from the menu', async () => {
    const chat = 6905;
    await onboard(app, chat);
    await app.say(chat, '3');
    expect((await app.bot.sessions.peek(chat))?.scene?.id).toBe('grant-hub');
  });
});
