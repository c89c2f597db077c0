// On phones without a Kazakh keyboard people type і as the Latin i ("Келiсемiн", "Тiл"), and
// Russian words come with a Latin letter that looks the same ("Отмeна" with a Latin e). The
// button's words must still be read as typed with the right letters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';

describe('Latin look-alike letters in Kazakh and Russian words', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_look_alike');
  });
  afterAll(async () => app?.close());

  it('a Kazakh consent typed with the Latin i ("келiсемiн") is consent', async () => {
    const chat = 7201;
    await onboard(app, chat, 'Қазақша');
    await app.tapLike(chat, 'Волонтер болу');
    for (const answer of ['Әйгерім Сәрсенова', '25', '+7 701 123 45 67', 'Қарағанды облысы', '1', '1', '1']) await app.say(chat, answer);
    expect(app.last(chat).text).toContain('94-V');
    app.drain(chat);
    await app.say(chat, 'келiсемiн');
    // The summary follows; refused, the consent would be asked again.
    expect(app.last(chat).text).toContain('9 қадамның 9-қадамы');
    await app.say(chat, '1');
    expect((await volunteerModel(app.mongo).findOne({ userId: chat }).lean())?.region).toBe('karaganda');
  });

  it('a region and a navigation word typed with Latin letters in them', async () => {
    const chat = 7202;
    await onboard(app, chat, 'Қазақша');
    await openSearch(app, chat, 'Қазақша');
    app.drain(chat);
    // "Түркiстан" with the Latin i.
    await app.say(chat, 'Түркiстан облысы');
    expect(app.last(chat).text).toContain('Көмек кімге керек?');
    // "Тiл" (Language) with the Latin i opens the language picker.
    await app.say(chat, 'Тiл');
    expect(app.last(chat).text).toContain('Тілді таңдаңыз');
    await app.say(chat, '2');
    app.drain(chat);
    // "Отмeна" with a Latin e cancels the form.
    await app.say(chat, 'Отмeна');
    expect(app.drain(chat).join('\n')).toContain('Заполнение прервано');
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
  });
});
