// The confirmation gives an application's reference ("KMK-2026-000001"); an applicant who pasted
// it back at the main menu to see how it stands was looked up in the knowledge base: "I have no
// answer to that yet. A person can answer it". Typed alone, a reference of the person's own
// application now shows its status and history, as /myapplications does. Anyone can type a
// reference, so someone else's is neither named nor shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, fillApplication, refIn } from '../grant/helpers.js';

describe('attack: an application reference typed at the main menu', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_typed_application_ref', { now: () => NOW });
  }, 60_000);
  afterAll(async () => app?.close());

  it('shows the applicant their own application, in their language; another person is told it is not theirs', async () => {
    const applicant = 7001;
    await onboard(app, applicant, 'Қазақша');
    const ref = refIn(await fillApplication(app, applicant, { iin: IIN.adultA }));

    await app.say(applicant, ` ${ref.toLowerCase()} `);
    const own = app.drain(applicant);
    expect(own[0]).toContain(`${ref} · Жаңа бизнес-идеяға грант`);
    expect(own[0]).toContain('Мәртебесі: Берілді.');
    expect(own.at(-1)).toContain('Басты мәзір');

    const other = 7002;
    await onboard(app, other, 'Русский');
    await app.say(other, ref);
    const texts = app.drain(other);
    expect(texts[0]).toBe('Среди ваших заявок такой нет. Команда /myapplications покажет заявки, поданные из этого чата.');
    expect(texts.join('\n')).not.toContain('Грант');
    expect(texts.at(-1)).toContain('Главное меню');
  });
});
