// Kazakh is also written in Latin letters (the 2021 alphabet, and the way people type on phones
// with no Kazakh keyboard): "Kelisemin", "Artqa", "Bas tartu", "Iä". A button's Kazakh words
// typed so answer it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';

describe('Kazakh typed in Latin letters', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_kazakh_latin');
  });
  afterAll(async () => app?.close());

  it('consent "Kelisemin" and Submit "Qosylu" in the volunteer sign-up', async () => {
    const chat = 7951;
    await onboard(app, chat, 'Қазақша');
    await app.tapLike(chat, 'Волонтер болу');
    for (const answer of ['Aigerim Sarsenova', '25', '+7 701 123 45 67', 'Qaragandy', '1', '1', '1']) await app.say(chat, answer);
    expect(app.last(chat).text).toContain('94-V');
    await app.say(chat, 'Kelisemin');
    expect(app.last(chat).text).toContain('9 қадамның 9-қадамы');
    await app.say(chat, 'Volonterler tizimine qosylu');
    expect(await volunteerModel(app.mongo).countDocuments({ userId: chat })).toBe(1);
  });

  it('"Eresek" for who needs help, "Artqa" for Back, "Bas tartu" for Cancel', async () => {
    const chat = 7952;
    await onboard(app, chat, 'Қазақша');
    await openSearch(app, chat, 'Қазақша');
    await app.say(chat, 'Pavlodar');
    await app.say(chat, 'Eresek');
    expect(app.last(chat).text).toContain('Қандай көмек керек?');
    await app.say(chat, 'Artqa');
    expect(app.last(chat).text).toContain('Көмек кімге керек?');
    await app.say(chat, 'Bas tartu');
    expect((await app.bot.sessions.peek(chat))?.scene).toBeUndefined();
  });

  it('"Iä" deletes in My data; "Joq" keeps', async () => {
    await onboard(app, 7953, 'Қазақша');
    await app.tapLike(7953, 'Менің деректерім');
    await app.say(7953, '1');
    app.drain(7953);
    await app.say(7953, 'Joq');
    expect(app.drain(7953).join('\n')).toContain('Ештеңе жойылмады');
    await app.tapLike(7953, 'Менің деректерім');
    await app.say(7953, '1');
    app.drain(7953);
    await app.say(7953, 'Iä');
    expect(app.drain(7953).join('\n')).toContain('Деректеріңіз жойылды');
  });
});
