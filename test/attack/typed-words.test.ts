// Every button is also answerable by typing. People type the word, not the button's whole
// sentence: "adult" or "ребенок" for who needs help, and an admin types the staff member's id
// that the list shows ("8801"), not "id 8801" or its line number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const ADMIN = 8500;
const MEMBER_A = 8501;
const MEMBER_B = 8502;

describe('typed words for buttons', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_words', { adminIds: [ADMIN] });
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
    await onboard(app, ADMIN);
    for (const id of [MEMBER_A, MEMBER_B]) {
      await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['coordinator'], regions: ['abai'], topics: null });
    }
  }, 60_000);
  afterAll(async () => app?.close());

  for (const [chat, language, word, next] of [
    [51, 'English', 'adult', 'What kind of help is needed?'],
    [52, 'English', 'child', 'What kind of help is needed?'],
    [53, 'Русский', 'взрослый', 'Какая помощь нужна?'],
    [54, 'Русский', 'ребенок', 'Какая помощь нужна?'],
    [55, 'Қазақша', 'ересек', 'Қандай көмек керек?'],
    [56, 'Қазақша', 'бала', 'Қандай көмек керек?'],
  ] as const) {
    it(`takes "${word}" typed for who needs help (${language})`, async () => {
      await onboard(app, chat, language);
      await openSearch(app, chat, language);
      await app.say(chat, 'Pavlodar');
      app.drain(chat);
      await app.say(chat, word);
      expect(app.drain(chat).join('\n')).toContain(next);
    });
  }

  it('takes the id an admin types on the staff list', async () => {
    await app.send(app.api.callback(ADMIN, 'm:staff-list', undefined, { enqueue: false }));
    app.drain(ADMIN);
    await app.say(ADMIN, String(MEMBER_B));
    expect(app.drain(ADMIN).join('\n')).toContain(`Staff member id ${MEMBER_B}: Volunteer coordinator`);
  });
});
