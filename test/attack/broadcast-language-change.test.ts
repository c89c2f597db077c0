import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';

const ADMIN = 8500;
const SWITCHER = 8501;
const STAYER = 8502;

// A broadcast's jobs carry the language chosen for each person when they were queued: for a
// scheduled announcement that is when it was written, maybe days before it goes, and a large one
// takes hours to send. Someone who changed their language in between got the announcement in the
// language they had left.
describe('attack: the language changed between queueing and sending an announcement', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_language_change', { adminIds: [ADMIN] });
    await onboard(app, ADMIN);
    await app.bot.services.users.setAnnouncements(ADMIN, false);
    await onboard(app, SWITCHER, 'Русский');
    await onboard(app, STAYER, 'Русский');
  }, 60_000);
  afterAll(async () => app?.close());

  it('is sent in the language the person uses when it goes', async () => {
    const { broadcasts } = app.bot.services;
    await broadcasts.create({
      createdBy: ADMIN, staffChatId: ADMIN, staffLocale: 'en', texts: { kk: 'Ертең орталық жабық.', ru: 'Завтра центр закрыт.' }, fallback: 'kk',
      audience: { group: 'all' }, sendAt: new Date(Date.now() + 24 * 3600_000),
    });
    const jobs = (app.delivery as RecordingDelivery).jobs.filter((j) => j.kind === 'broadcast');
    const toSwitcher = jobs.find((j) => j.chatId === SWITCHER)!;
    const toStayer = jobs.find((j) => j.chatId === STAYER)!;
    expect(toSwitcher.locale).toBe('ru');

    // The language button, as the person uses it.
    await app.command(SWITCHER, 'language');
    await app.tapLike(SWITCHER, 'Қазақша');
    expect((await app.bot.services.users.get(SWITCHER))?.locale).toBe('kk');

    expect(await broadcasts.textOf(toSwitcher)).toContain('Ертең орталық жабық.');
    expect(await broadcasts.textOf(toStayer)).toContain('Завтра центр закрыт.');
  }, 60_000);

  it('a language the announcement was not written in gets its fallback', async () => {
    const { broadcasts } = app.bot.services;
    await broadcasts.create({
      createdBy: ADMIN, staffChatId: ADMIN, staffLocale: 'en', texts: { ru: 'Только по-русски.', en: 'English too.' }, fallback: 'en',
      audience: { group: 'all' }, sendAt: new Date(Date.now() + 24 * 3600_000),
    });
    const job = (app.delivery as RecordingDelivery).jobs.filter((j) => j.kind === 'broadcast' && j.chatId === STAYER).at(-1)!;
    expect(job.locale).toBe('ru');
    await app.bot.services.users.setLocale(STAYER, 'kk');
    expect(await broadcasts.textOf(job)).toContain('English too.');
  }, 60_000);
});
