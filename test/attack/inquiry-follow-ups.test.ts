import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { closeInquiry } from '../../src/features/inquiries/relay.js';
import { askPerson } from '../features/inquiries/helpers.js';
import { inquiryModel } from '../../src/features/inquiries/inquiry.model.js';

const OPERATOR = 8101;

// Which question a citizen's words join, and what My data shows, for someone with many questions.
describe('follow-ups and My data with several questions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('inq_followups', { adminIds: [OPERATOR], redisPrefix: `t-${randomBytes(5).toString('hex')}` });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('with one question still open after another was closed, the next message joins the open one', async () => {
    const chat = 6201;
    await onboard(app, chat);
    const first = await askPerson(app, chat, 'Can my son get a place in a day-care centre?');
    await app.command(chat, 'ask');
    await app.tapLike(chat, 'Volunteering');
    await app.say(chat, 'Can a volunteer help my mother with shopping?');
    await app.tapLike(chat, 'Almaty (city)');
    const second = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // The operator closes the second question; the first one is still waiting.
    await closeInquiry(app.bot.deps, second!, OPERATOR);
    await app.say(chat, 'Any news about the day-care place?');
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${first}`);
    const messages = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(first))!);
    expect(messages.map((m) => m.text)).toContain('Any news about the day-care place?');
  });

  it('a citizen who edits a message already sent is told the edit is not read, in their language; the question keeps what was sent', async () => {
    const chat = 6204;
    await onboard(app, chat, 'Русский');
    await app.say(chat, 'как оформить социальное такси');
    await app.tapLike(chat, 'Спросить сотрудника');
    await app.tapLike(chat, 'Реабилитация');
    await app.tapLike(chat, 'Алматы');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(ref).toBeDefined();
    const followUp = app.api.text(chat, 'Мой телефон 8 701 000 00 00', { enqueue: false });
    await app.send(followUp);
    expect(app.drain(chat).join('\n')).toContain(`Добавлено к вашему вопросу ${ref}`);
    const original = followUp.message as { message_id: number; date: number };
    await app.send(app.api.push({ edited_message: { ...original, text: 'Мой телефон 8 701 111 11 11', edit_date: original.date + 1 } }, { enqueue: false }));
    expect(app.drain(chat).join('\n')).toContain('Исправления в уже отправленном сообщении до меня не доходят');
    const texts = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref!))!).map((m) => m.text);
    expect(texts).toContain('Мой телефон 8 701 000 00 00');
    expect(texts).not.toContain('Мой телефон 8 701 111 11 11');
  });

  it('a knowledge base entry made from a question does not publish the person\'s IIN or phone number', async () => {
    const chat = 6203;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'My IIN is 900101300123, phone +7 701 234 56 78. Why was my allowance stopped?');
    await onboard(app, OPERATOR);
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Reply');
    // Longer than 300 characters, with the person's own numbers repeated and a hotline that must stay.
    const detail = 'The assessment is booked at the social assessment department of your district; bring your identity card and the medical documents. '.repeat(2);
    await app.say(OPERATOR, `Allowances stop when the assessment expires; book a new one. ${detail}For IIN 900101300123 we will call +7 701 234 56 78. The hotline is +7 (7172) 74-00-00.`);
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Make a knowledge base entry');
    // Both masked suggestions kept as offered, then published.
    await app.tapLike(OPERATOR, 'Keep this text');
    await app.tapLike(OPERATOR, 'Keep this text');
    await app.tapLike(OPERATOR, 'Publish');
    expect(app.drain(OPERATOR).join('\n')).toContain(`Entry ${ref.toLowerCase()} is published`);
    const entry = (await app.bot.services.faq.all()).find((e) => e.id === ref.toLowerCase())!;
    const published = JSON.stringify(entry);
    expect(published).toContain('Why was my allowance stopped?');
    expect(published).toContain('book a new one');
    expect(published).not.toMatch(/900101300123|701 234 56 78/);
    // The answer is kept whole (up to 1,200 characters), with the number it gives.
    expect(published).toContain('The hotline is +7 (7172) 74-00-00.');
  });

  it('Take and Move that land after a Close leave the closed question as it is', async () => {
    const chat = 6290;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is there sign language help at the employment centre?');
    const { inquiries } = app.bot.services;
    expect(await inquiries.close(ref, OPERATOR)).toBe(true);
    // The tap was read while the question was open; the writes come after the Close.
    expect(await inquiries.take(ref, OPERATOR)).toBe('closed');
    expect(await inquiries.move(ref, OPERATOR, 'grants')).toBe(false);
    const after = (await inquiries.get(ref))!;
    expect(after.status).toBe('closed');
    expect(after.takenBy).toBeUndefined();
    expect(after.topic).not.toBe('grants');
  });

  it('an operator limited to a region sees its questions in the queue behind hundreds of older ones from elsewhere', async () => {
    const ALMATY_OPERATOR = 8102;
    await app.bot.services.users.makeStaff(ALMATY_OPERATOR, ALMATY_OPERATOR, 'en', OPERATOR);
    await app.bot.services.access.grant(ALMATY_OPERATOR, { roles: ['operator'], regions: ['almaty'], topics: null }, 0);
    // A backlog of 600 open questions from Astana, all older than the one from Almaty.
    const old = new Date(Date.now() - 86_400_000);
    await inquiryModel(app.bot.deps.connection).insertMany(
      Array.from({ length: 600 }, (_, i) => ({
        ref: `Q-2020-${String(i + 1).padStart(6, '0')}`, submissionKey: `backlog.${i}`, userId: 900_000 + i, chatId: 900_000 + i,
        locale: 'en', topic: 'other', region: 'astana', status: 'open', openSlot: `${900_000 + i}.1`, messages: [], createdAt: old,
      })),
    );
    const chat = 6205;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where is the nearest rehabilitation centre for adults?');
    await onboard(app, ALMATY_OPERATOR);
    await app.tapLike(ALMATY_OPERATOR, 'Staff');
    await app.tapLike(ALMATY_OPERATOR, "Citizens' questions");
    expect(app.drain(ALMATY_OPERATOR).join('\n')).toContain(ref);
  });

  it('My data accounts for every question the bot holds: the newest twenty named, the rest counted', async () => {
    const chat = 6202;
    await onboard(app, chat);
    const refs: string[] = [];
    for (let i = 0; i < 23; i += 1) {
      const made = await app.bot.services.inquiries.create({ userId: chat, chatId: chat, locale: 'en', topic: 'other', text: `Question number ${i}`, submissionKey: `${chat}.${i}` });
      if (made.result === 'limit') throw new Error('limit');
      refs.push(made.ref);
      await app.bot.services.inquiries.close(made.ref, OPERATOR);
    }
    await app.command(chat, 'mydata');
    const shown = app.drain(chat).join('\n');
    for (const ref of refs.slice(-20)) expect(shown).toContain(ref);
    expect(shown).toContain('Also 3 earlier questions, with their messages');
  });
});
