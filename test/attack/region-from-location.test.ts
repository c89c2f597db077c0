// "Which region?" with twenty buttons is a long list on an old phone; many people answer it the
// way the rehab search taught them: they share their location (or a place picked on Telegram's
// map, a venue). The region around that place is the answer, and the person is told which region
// was taken, so a wrong guess near a border can be changed with Back. A place abroad is no region
// of Kazakhstan: it is turned down in the person's language and the same question comes again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { inquiryModel } from '../../src/features/inquiries/inquiry.model.js';
import { IDEA, IIN, NOW, openApplication } from '../grant/helpers.js';

const KARAGANDA = { latitude: 49.806, longitude: 73.085 };
const AKTAU = { latitude: 43.65, longitude: 51.17 };
const PAVLODAR = { latitude: 52.2873, longitude: 76.9674 };
const MOSCOW = { latitude: 55.7558, longitude: 37.6173 };
const ALMATY_CLINIC = { latitude: 43.2389, longitude: 76.9458, title: 'City polyclinic No. 5', address: 'Almaty, Abai Ave, 10' };

type Lang = 'English' | 'Русский' | 'Қазақша';
const VOLUNTEER: Record<Lang, { entry: string; name: string; region: string; abroad: string; taken: string; almaty: string; areas: string }> = {
  English: { entry: 'Become a volunteer', name: 'Aigerim Sarsenova', region: 'In which region can you help?', abroad: 'outside Kazakhstan', taken: 'Back', almaty: 'Almaty (city)', areas: 'What would you like to help with?' },
  Русский: { entry: 'Стать волонтёром', name: 'Айгерим Сарсенова', region: 'В каком регионе вы можете помогать?', abroad: 'за пределами Казахстана', taken: 'Назад', almaty: 'город Алматы', areas: 'Чем вы хотели бы помогать?' },
  Қазақша: { entry: 'Волонтер болу', name: 'Әйгерім Сәрсенова', region: 'Қай өңірде көмектесе аласыз?', abroad: 'Қазақстаннан тыс', taken: 'Артқа', almaty: 'Алматы қаласы', areas: 'Немен көмектескіңіз келеді?' },
};

describe('a location shared at a region question', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_region_location', { now: () => NOW });
  }, 60_000);
  afterAll(async () => app?.close());

  /** Name, age and phone of the volunteer sign-up: the region question is next. */
  async function toVolunteerRegion(chat: number, lang: Lang): Promise<void> {
    await onboard(app, chat, lang);
    await app.tapLike(chat, VOLUNTEER[lang].entry);
    await app.say(chat, VOLUNTEER[lang].name);
    await app.say(chat, '25');
    await app.send(app.api.contact(chat, '+77011234567', { enqueue: false }));
    expect(app.last(chat).text).toContain(VOLUNTEER[lang].region);
    app.drain(chat);
  }

  it('volunteer sign-up: takes the region around the location, says which, and keeps it', async () => {
    const chat = 7301;
    await toVolunteerRegion(chat, 'English');
    await app.send(app.api.location(chat, KARAGANDA.latitude, KARAGANDA.longitude, { enqueue: false }));
    const said = app.drain(chat).join('\n');
    expect(said).toContain('Karaganda Region');
    expect(said).toContain('"Back"');
    expect(app.last(chat).text).toContain('What would you like to help with?');
    await app.say(chat, '3, 4');
    await app.say(chat, '3');
    await app.say(chat, '1, 2');
    await app.tapLike(chat, 'I agree');
    expect(app.last(chat).text).toContain('Region: Karaganda Region');
    await app.tapLike(chat, 'Join the volunteer list');
    expect(await volunteerModel(app.mongo).findOne({ userId: chat }).lean()).toMatchObject({ region: 'karaganda' });
  });

  for (const [index, lang] of (['English', 'Русский', 'Қазақша'] as const).entries()) {
    it(`volunteer sign-up in ${lang}: a location abroad is turned down and the question asked again; a venue at home is taken`, async () => {
      const chat = 7310 + index;
      const w = VOLUNTEER[lang];
      await toVolunteerRegion(chat, lang);
      await app.send(app.api.location(chat, MOSCOW.latitude, MOSCOW.longitude, { enqueue: false }));
      const said = app.drain(chat).join('\n');
      expect(said).toContain(w.abroad);
      expect(app.last(chat).text).toContain(w.region);
      expect(app.last(chat).buttons.flat().length).toBeGreaterThan(20);

      await app.send(app.api.venue(chat, ALMATY_CLINIC, { enqueue: false }));
      const taken = app.drain(chat).join('\n');
      expect(taken).toContain(w.almaty);
      expect(taken).toContain(w.taken);
      expect(app.last(chat).text).toContain(w.areas);
      // The guess can be changed: Back asks for the region again.
      await app.tap(chat, w.taken);
      expect(app.last(chat).text).toContain(w.region);
    });
  }

  it('grant application: the region from a location shows on the summary', async () => {
    const chat = 7320;
    await onboard(app, chat);
    await openApplication(app, chat);
    await app.say(chat, '1');
    await app.say(chat, 'Aliya Sarsenbayeva');
    await app.say(chat, IIN.valid);
    await app.say(chat, '+7 701 123 45 67');
    expect(app.last(chat).text).toContain('Which region do you live in?');
    app.drain(chat);
    await app.send(app.api.location(chat, AKTAU.latitude, AKTAU.longitude, { enqueue: false }));
    expect(app.drain(chat).join('\n')).toContain('Mangystau Region');
    for (const answer of ['1', '6', '4', '2', IDEA, '1 500 000', '2025', '1']) await app.say(chat, answer);
    expect(app.drain(chat).join('\n')).toContain('Region: Mangystau Region');
  });

  it('asking a person: the question goes to the region around the location', async () => {
    const chat = 7330;
    await onboard(app, chat);
    await app.say(chat, 'Who pays for a sign language interpreter at the clinic?');
    await app.tapLike(chat, 'Ask a person');
    await app.tapLike(chat, 'Rehabilitation');
    expect(app.last(chat).text).toContain('Which region are you in?');
    await app.send(app.api.location(chat, PAVLODAR.latitude, PAVLODAR.longitude, { enqueue: false }));
    const said = app.drain(chat).join('\n');
    expect(said).toContain('Pavlodar Region');
    expect(said).toContain('has been sent');
    expect(await inquiryModel(app.mongo).findOne({ userId: chat }).lean()).toMatchObject({ region: 'pavlodar' });
  });
});
