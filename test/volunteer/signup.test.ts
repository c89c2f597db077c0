import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';

type Lang = 'English' | 'Русский' | 'Қазақша';

const WORDS: Record<Lang, { entry: string; agree: string; submit: string; name: string; done: string; region: string }> = {
  English: { entry: 'Become a volunteer', agree: 'I agree', submit: 'Join the volunteer list', name: 'Aigerim Sarsenova', done: 'Thank you, Aigerim!', region: 'Karaganda' },
  Русский: { entry: 'Стать волонтёром', agree: 'Даю согласие', submit: 'Записаться в волонтёры', name: 'Айгерим Сарсенова', done: 'Спасибо, Айгерим!', region: 'Карагандинская область' },
  Қазақша: { entry: 'Волонтер болу', agree: 'Келісемін', submit: 'Волонтерлер тізіміне қосылу', name: 'Әйгерім Сәрсенова', done: 'Рақмет, Әйгерім!', region: 'Қарағанды облысы' },
};

describe('volunteer sign-up', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('vol_signup');
  });
  afterAll(async () => app?.close());

  const stored = (userId: number) => volunteerModel(app.mongo).findOne({ userId }).lean();

  it.each([
    [101, 'English'],
    [102, 'Русский'],
    [103, 'Қазақша'],
  ] as Array<[number, Lang]>)('signs up in %s', async (chat, lang) => {
    const w = WORDS[lang];
    await onboard(app, chat, lang);
    await app.tapLike(chat, w.entry);
    await app.say(chat, w.name);
    await app.say(chat, '25');
    await app.send(app.api.contact(chat, '+77011234567', { enqueue: false }));
    await app.say(chat, w.region);
    await app.say(chat, '3, 4');
    await app.say(chat, '3');
    await app.say(chat, '1, 2');
    const consent = app.last(chat).text ?? '';
    expect(consent).toContain('94-V');
    await app.tapLike(chat, w.agree);
    const summary = app.last(chat).text ?? '';
    expect(summary).toContain(w.name);
    expect(summary).toContain('+7 701 123 45 67');
    await app.tapLike(chat, w.submit);
    expect(app.drain(chat).join('\n')).toContain(w.done);
    const record = await stored(chat);
    expect(record).toMatchObject({ fullName: w.name, age: 25, region: 'karaganda', areas: ['people-in-need', 'disability-elderly'], availability: ['weekends'], skills: ['first-aid', 'driving'], paused: false });
    // The phone is sealed, with a lookup hash beside it; never in clear text.
    expect(JSON.stringify(record)).not.toContain('7011234567');
    expect(app.bot.services.volunteers).toBeDefined();
    expect((await app.bot.services.volunteers.get(chat))?.phone).toBe('+77011234567');
    expect(record?.phoneHash).toBe(app.bot.services.volunteers['deps'].cipher.lookupHash('+77011234567'));
  });

  it('shows the consent text Law 94-V asks for, in all three languages', async () => {
    const i18n = app.bot.i18n;
    const en = i18n.t('en')('volunteer:consent.prompt');
    for (const part of ['operator of the Komek service', 'Purpose', 'full name, age, phone number, region', 'until you leave the volunteer list or delete your data', 'withdraw', 'My data']) {
      expect(en).toContain(part);
    }
    expect(i18n.t('ru')('volunteer:consent.prompt')).toContain('оператор сервиса «Көмек»');
    expect(i18n.t('kk')('volunteer:consent.prompt')).toContain('«Көмек» сервисінің операторы');
  });

  it('turns down every bad answer and stores nothing that failed', async () => {
    const chat = 110;
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    app.drain(chat);
    await app.send(app.api.sticker(chat, { enqueue: false }));
    expect(app.drain(chat)[0]).toContain('I cannot read stickers');
    await app.say(chat, 'x'.repeat(2500));
    expect(app.drain(chat)[0]).toContain('too long');
    await app.say(chat, 'A'.repeat(150));
    expect(app.drain(chat)[0]).toContain('too long for a name');
    await app.say(chat, '😀😀😀');
    expect(app.drain(chat)[0]).toContain('write your name in letters');
    await app.say(chat, '12345');
    expect(app.drain(chat)[0]).toContain('write your name in letters');
    await app.say(chat, 'Aigerim Sarsenova');
    expect(app.last(chat).text).toContain('How old are you?');
    app.drain(chat);
    app.drain(chat);
    await app.say(chat, 'abc');
    expect(app.drain(chat)[0]).toContain('Please type a number');
    await app.say(chat, '150');
    expect(app.drain(chat)[0]).toContain('number of years');
    await app.say(chat, '-3');
    expect(app.drain(chat)[0]).toContain('number of years');
    await app.say(chat, '30');
    expect(app.last(chat).text).toContain('mobile number');
    app.drain(chat);
    await app.say(chat, '+7 703 123 45 67');
    expect(app.drain(chat)[0]).toContain('does not look like a Kazakhstan mobile number');
    await app.say(chat, '12345');
    expect(app.drain(chat)[0]).toContain('does not look like a Kazakhstan mobile number');
    await app.say(chat, '8 701 765 43 21');
    expect(app.last(chat).text).toContain('In which region');
    app.drain(chat);
    await app.say(chat, 'Atlantis');
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number');
    await app.say(chat, 'Нур-Султан');
    expect(app.last(chat).text).toContain('What would you like to help with?');
    app.drain(chat);
    await app.say(chat, '42');
    expect(app.drain(chat)[0]).toContain('numbers from 1 to 8');
    await app.command(chat, 'cancel');
    expect(await stored(chat)).toBeNull();
  });

  it('answers bad input at the later steps with the same question again; typed labels work; old buttons are refused', async () => {
    const chat = 114;
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    app.drain(chat);
    await app.send(app.api.photo(chat, { enqueue: false }));
    expect(app.drain(chat)).toEqual([expect.stringContaining('cannot read stickers, photos'), expect.stringContaining('What is your full name?')]);
    await app.command(chat, 'myhours');
    expect(app.drain(chat)).toEqual([expect.stringContaining('in the middle of a form'), expect.stringContaining('What is your full name?')]);
    for (const answer of ['Dana Omarova', '30', '+77011112233', 'Karaganda', 'Helping people in need']) await app.say(chat, answer);
    expect(app.last(chat).text).toContain('When can you usually help?');
    app.drain(chat);
    for (const bad of ['sometimes', '0', '🙂', 'x'.repeat(5000)]) {
      await app.say(chat, bad);
      const texts = app.drain(chat);
      expect(texts.at(-1)).toContain('When can you usually help?');
      expect(texts.length).toBe(2);
    }
    await app.say(chat, 'Weekends');
    expect(app.last(chat).text).toContain('Do you have any of these skills?');
    app.drain(chat);
    await app.say(chat, '9');
    expect(app.drain(chat)[0]).toContain('numbers from 1 to 7');
    // "First aid" with "No special skills" by mistake: the summary shows what will be stored.
    await app.say(chat, '1, 7');
    expect(app.last(chat).text).toContain('Law of the Republic of Kazakhstan No. 94-V');
    app.drain(chat);
    await app.say(chat, 'maybe');
    expect(app.drain(chat)[0]).toContain('type its number, from 1 to 2');
    await app.say(chat, 'I agree');
    const summary = app.last(chat).text ?? '';
    expect(summary).toContain('Skills: First aid\n');
    app.drain(chat);
    await app.say(chat, 'hmm');
    expect(app.drain(chat)[0]).toContain('type its number, from 1 to 2');
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toContain('Thank you, Dana!');
    expect(await stored(chat)).toMatchObject({ availability: ['weekends'], skills: ['first-aid'] });
    // A button of the finished form does nothing but say so.
    const old = app.api.visibleMessages(chat).find((m) => m.buttons.flat().some((b) => b.includes('I do not agree')))!;
    const row = old.buttons.findIndex((r) => r.some((b) => b.includes('I do not agree')));
    await app.send(app.api.callback(chat, old.callbackData[row]![0]!, old.messageId, { enqueue: false }));
    expect(app.api.callsOf('answerCallbackQuery').at(-1)?.payload.text).toContain('earlier question');
    expect(await stored(chat)).toMatchObject({ skills: ['first-aid'] });
  });

  it('ends kindly for under-14s and stores nothing', async () => {
    const chat = 111;
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    await app.say(chat, 'Aruzhan Bekova');
    app.drain(chat);
    await app.say(chat, '13');
    const texts = app.drain(chat).join('\n');
    expect(texts).toContain('starts at 14');
    expect(texts).toContain('Main menu');
    expect(await stored(chat)).toBeNull();
  });

  it('asks 14-17s for a guardian’s consent, and stores nothing without it', async () => {
    const chat = 112;
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    await app.say(chat, 'Aruzhan Bekova');
    await app.say(chat, '15');
    expect(app.last(chat).text).toContain('parent or legal guardian');
    app.drain(chat);
    await app.tapLike(chat, 'No, they do not agree');
    expect(app.drain(chat).join('\n')).toContain('Without the consent of a parent or legal guardian');
    expect(await stored(chat)).toBeNull();

    // With consent the form goes on, and the consent is kept with the profile.
    await app.tapLike(chat, 'Become a volunteer');
    await app.say(chat, 'Aruzhan Bekova');
    await app.say(chat, '16');
    // The teenager answers for the parent, not "I agree".
    await app.tapLike(chat, 'Yes, they know and agree');
    expect(app.last(chat).text).toContain('mobile number');
    app.drain(chat);
    for (const answer of ['+7 705 111 22 33', 'Almaty', '6', '1 2', 'No special skills']) await app.say(chat, answer);
    await app.tapLike(chat, 'I agree');
    expect(app.last(chat).text).toContain('Consent of a parent or legal guardian');
    app.drain(chat);
    await app.tapLike(chat, 'Join the volunteer list');
    expect(await stored(chat)).toMatchObject({ age: 16, guardianConsent: true, region: 'almaty', areas: ['nature'], skills: [] });
  });

  it('declining the personal-data consent stores nothing', async () => {
    const chat = 113;
    await onboard(app, chat);
    await app.tapLike(chat, 'Become a volunteer');
    for (const answer of ['Dana Omarova', '40', '+77011112233', 'Pavlodar', '1', '1', '7']) await app.say(chat, answer);
    await app.tapLike(chat, 'I do not agree');
    expect(app.drain(chat).join('\n')).toContain('Without this consent');
    expect(await stored(chat)).toBeNull();
  });

  it('opens the volunteer page instead of the form once signed up; edits, pauses, leaves', async () => {
    const chat = 101;
    app.drain(chat);
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Become a volunteer');
    const page = app.last(chat).text ?? '';
    expect(page).toContain('Your volunteer page');
    expect(page).toContain('Phone: ending in 67');
    // Typed numbers work on the page: "Change my answers" is the 2nd option (no upcoming missions).
    const edit = app.last(chat).buttons.flat().find((b) => b.includes('Change my answers'))!;
    await app.say(chat, edit.split('.')[0]!);
    await app.say(chat, 'Region');
    await app.say(chat, 'Astana');
    expect(app.drain(chat).join('\n')).toContain('Your profile has been updated');
    expect(await stored(chat)).toMatchObject({ region: 'astana' });

    await app.tapLike(chat, 'Become a volunteer');
    await app.tapLike(chat, 'Pause invitations');
    expect((await stored(chat))?.paused).toBe(true);
    expect(await app.bot.services.volunteers.activeUserIds()).not.toContain(chat);
    await app.tapLike(chat, 'Become a volunteer');
    await app.tapLike(chat, 'Resume invitations');
    expect((await stored(chat))?.paused).toBe(false);
    expect(await app.bot.services.volunteers.activeUserIds()).toContain(chat);

    await app.tapLike(chat, 'Become a volunteer');
    await app.tapLike(chat, 'Leave the volunteer list');
    await app.tapLike(chat, 'No, stay');
    expect(await stored(chat)).not.toBeNull();
    await app.tapLike(chat, 'Become a volunteer');
    await app.tapLike(chat, 'Leave the volunteer list');
    await app.tapLike(chat, 'Yes, leave');
    expect(app.drain(chat).join('\n')).toContain('You have left the volunteer list');
    expect(await stored(chat)).toBeNull();
  });

  it('shows and erases the volunteer profile in My data', async () => {
    const chat = 102;
    app.drain(chat);
    await app.command(chat, 'mydata');
    const text = app.last(chat).text ?? '';
    expect(text).toContain('Профиль волонтёра');
    expect(text).toContain('Телефон: оканчивается на 67');
    expect(text).not.toContain('123 45');
    await app.tapLike(chat, 'Удалить');
    await app.tapLike(chat, 'Да, удалить');
    expect(await stored(chat)).toBeNull();
  });
});
