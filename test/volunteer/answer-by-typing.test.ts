import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel, missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import type { MissionInput } from '../../src/features/volunteer/missions.service.js';
import { loadResources } from '../../src/i18n/index.js';
import { normalizeForMatch } from '../../src/domain/text.js';
import { LOCALES } from '../../src/telegram/types.js';
import { addVolunteer, clock, HOUR, mission } from './helpers.js';
import { BUTTON_MAX } from '../../src/engine/options.js';
import { formatKzDateTime } from '../../src/domain/kz-time.js';
import { MISSION_TITLE_MAX } from '../../src/features/volunteer/volunteer-options.js';

const STAFF = 9500;

// Invitations and reminders come with buttons; people who cannot tap answer them on their
// volunteer page by typing, through the same service calls and with the same messages.
describe('answering invitations and reminders by typing', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('vol_typed_answers', { now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  const publish = async (over: Partial<MissionInput>) => String((await app.bot.services.missions.publish(mission(time.now(), over), STAFF)).mission._id);
  const assignment = (missionId: string, userId: number) => missionAssignmentModel(app.mongo).findOne({ missionId, volunteerUserId: userId }).lean();
  /** The volunteer page's first question, as the user sees it. */
  async function openPage(chat: number, entry = 'Become a volunteer') {
    await app.command(chat, 'menu');
    await app.tapLike(chat, entry);
    app.drain(chat);
    return app.last(chat);
  }

  it.each([
    { language: 'English', locale: 'en', region: 'pavlodar', entry: 'Become a volunteer', waiting: 'Invitations to answer (1)', question: 'Can you come?', word: 'accept', done: 'You are on the team' },
    { language: 'Русский', locale: 'ru', region: 'kostanay', entry: 'Стать волонтёром', waiting: 'Приглашения без ответа (1)', question: 'Сможете прийти?', word: 'принять', done: 'Вы в команде' },
    { language: 'Қазақша', locale: 'kk', region: 'atyrau', entry: 'Волонтер болу', waiting: 'Жауап күтетін шақырулар (1)', question: 'Келе аласыз ба?', word: 'қабылдау', done: 'Сіз командадасыз' },
  ] as const)('a volunteer accepts an invitation by typing in $language', async ({ language, locale, region, entry, waiting, question, word, done }) => {
    const chat = { en: 9601, ru: 9602, kk: 9603 }[locale];
    await onboard(app, chat, language);
    await addVolunteer(app, chat, locale, { region });
    const id = await publish({ region, title: `Fair ${locale}` });
    // The invitation says, in the volunteer's language, where to answer without the buttons.
    expect(delivery.jobs.find((j) => j.id === `mi-${id}-${chat}`)?.text).toContain(entry);

    const page = await openPage(chat, entry);
    expect(page.buttons.flat()[0]).toBe(`1. ${waiting}`);
    await app.say(chat, '1');
    // The title is read in the text; the button says when, uncut.
    expect(app.last(chat).text).toContain(`Fair ${locale}`);
    expect(app.last(chat).buttons.flat()[0]).toMatch(/^1\. \d\d\.\d\d\.\d{4} \d\d:\d\d$/);
    await app.say(chat, '1');
    const prompt = app.last(chat).text ?? '';
    expect(prompt).toContain(`Fair ${locale}`);
    expect(prompt).toContain(question);
    await app.say(chat, word);
    expect(app.drain(chat).join('\n')).toContain(done);
    expect((await assignment(id, chat))?.status).toBe('accepted');
    expect(await missionSeatModel(app.mongo).countDocuments({ missionId: id })).toBe(1);
    // As after the button: reminders are scheduled, and the entry is gone.
    expect(delivery.jobs.some((j) => j.id === `mr24-${id}-${chat}`)).toBe(true);
    expect((await openPage(chat, entry)).buttons.flat().join('|')).not.toContain(waiting);
  });

  it('declines by typing "no"; joins the waiting list by typing the answer’s words', async () => {
    await onboard(app, 9610);
    await addVolunteer(app, 9610, 'en', { region: 'aktobe' });
    await onboard(app, 9611);
    await addVolunteer(app, 9611, 'en', { region: 'aktobe' });
    await onboard(app, 9612);
    await addVolunteer(app, 9612, 'en', { region: 'aktobe' });
    await onboard(app, 9613, 'Қазақша');
    await addVolunteer(app, 9613, 'kk', { region: 'aktobe' });
    const id = await publish({ region: 'aktobe', slots: 1 });
    await app.bot.services.missions.accept(id, 9612);

    await openPage(9610);
    for (const answer of ['1', '1', 'no']) await app.say(9610, answer);
    expect(app.drain(9610).join('\n')).toContain('Thank you for answering. Maybe next time!');
    expect((await assignment(id, 9610))?.status).toBe('declined');

    await openPage(9611);
    for (const answer of ['Invitations', '1', 'Yes, I will help']) await app.say(9611, answer);
    expect(app.drain(9611).join('\n')).toContain('you are on the waiting list, place 1');
    expect((await assignment(id, 9611))?.status).toBe('waiting');

    await openPage(9613, 'Волонтер болу');
    for (const answer of ['1', '1', 'қабылдамау']) await app.say(9613, answer);
    expect(app.drain(9613).join('\n')).toContain('Жауап бергеніңізге рақмет');
    expect((await assignment(id, 9613))?.status).toBe('declined');
  });

  it('no answer word is also a navigation word ("Бас тарту" is Cancel in Kazakh)', () => {
    const resources = loadResources();
    const nav = new Set(
      LOCALES.flatMap((l) => Object.values((resources[l].common as { nav: Record<string, string> }).nav).map((w) => normalizeForMatch(w))),
    );
    for (const locale of LOCALES) {
      const respond = (resources[locale].volunteer as { respond: Record<string, string> }).respond;
      const words = Object.entries(respond)
        .filter(([key]) => key.endsWith('-words'))
        .flatMap(([, list]) => list.split(','))
        .map((w) => normalizeForMatch(w));
      expect(words.filter((w) => nav.has(w)), locale).toEqual([]);
    }
  });

  it('a reminder answered by typing "2" frees the place for the next on the waiting list; "yes" is noted', async () => {
    const [holder, next] = [9620, 9621];
    for (const chat of [holder, next]) {
      await onboard(app, chat);
      await addVolunteer(app, chat, 'en', { region: 'mangystau' });
    }
    const id = await publish({ region: 'mangystau', slots: 1, title: 'River clean-up' });
    await app.bot.services.missions.accept(id, holder);
    await app.bot.services.missions.accept(id, next);
    const reminder = delivery.jobs.find((j) => j.id === `mr24-${id}-${holder}`);
    expect(reminder?.text).toContain('You can also answer without the buttons');
    // Not sent yet, so nothing to answer.
    expect((await openPage(holder)).buttons.flat().join('|')).not.toContain('Reminders to answer');

    const start = new Date((await app.bot.services.missions.get(id))!.startsAt).getTime();
    time.set(new Date(start - 23 * HOUR));
    const page = await openPage(holder);
    expect(page.buttons.flat()[0]).toBe('1. Reminders to answer (1)');
    await app.say(holder, '1');
    await app.say(holder, '1');
    expect(app.last(holder).text).toContain('River clean-up');
    expect(app.last(holder).text).toContain('Are you still coming?');
    await app.say(holder, '2');
    expect(app.drain(holder).join('\n')).toContain('Your place will go to someone else');
    expect((await assignment(id, holder))?.status).toBe('cancelled');
    expect((await assignment(id, next))?.status).toBe('accepted');
    expect(delivery.jobs.find((j) => j.id === `mp-${id}-${next}`)?.text).toContain('a place has opened');
    expect(delivery.cancelled).toContain(`mr2-${id}-${holder}`);

    // Moved up after the day-before reminder was due: only the two-hours one is theirs.
    expect((await openPage(next)).buttons.flat().join('|')).not.toContain('Reminders to answer');
    time.set(new Date(start - HOUR));
    await openPage(next);
    for (const answer of ['1', '1', 'yes']) await app.say(next, answer);
    expect(app.drain(next).join('\n')).toContain('Thank you! See you there.');
    const roster = (await app.bot.services.missions.roster(id))!;
    expect(roster.accepted).toMatchObject([{ userId: next, reminder2: 'yes' }]);
    expect(roster.accepted[0]?.reminder24).toBeUndefined();
    time.set(new Date('2026-11-20T06:00:00Z'));
  });

  it('a reminder answered "нет" in Russian frees the place too', async () => {
    await onboard(app, 9625, 'Русский');
    await addVolunteer(app, 9625, 'ru', { region: 'zhambyl' });
    const id = await publish({ region: 'zhambyl', title: 'Ярмарка' });
    await app.bot.services.missions.accept(id, 9625);
    expect(delivery.jobs.find((j) => j.id === `mr24-${id}-9625`)?.text).toContain('Ответить можно и без кнопок');
    const start = new Date((await app.bot.services.missions.get(id))!.startsAt).getTime();
    time.set(new Date(start - 20 * HOUR));
    const page = await openPage(9625, 'Стать волонтёром');
    expect(page.buttons.flat()[0]).toBe('1. Напоминания без ответа (1)');
    for (const answer of ['1', '1', 'нет']) await app.say(9625, answer);
    expect(app.drain(9625).join('\n')).toContain('Ваше место перейдёт другому волонтёру');
    expect((await assignment(id, 9625))?.status).toBe('cancelled');
    expect(await missionSeatModel(app.mongo).countDocuments({ missionId: id })).toBe(0);
    time.set(new Date('2026-11-20T06:00:00Z'));
  });

  it('shows no entry when nothing waits for an answer', async () => {
    const chat = 9630;
    await onboard(app, chat);
    await addVolunteer(app, chat, 'en', { region: 'turkistan' });
    const entries = async () => (await openPage(chat)).buttons.flat().join('|');
    expect(await entries()).not.toContain('waiting for my answer');
    // Another region, a cancelled mission, a started one: nothing to answer.
    await publish({ region: 'almaty' });
    await app.bot.services.missions.cancelMission(await publish({ region: 'turkistan' }), STAFF);
    await publish({ region: 'turkistan', startsAt: new Date(time.now().getTime() - HOUR) });
    expect(await entries()).not.toContain('waiting for my answer');
    // Published while invitations were paused: not sent, so not waiting either, until resumed.
    await app.bot.services.volunteers.setPaused(chat, true);
    const paused = await publish({ region: 'turkistan', title: 'While paused' });
    expect(await entries()).not.toContain('waiting for my answer');
    await app.tapLike(chat, 'Resume invitations');
    expect(delivery.jobs.some((j) => j.id === `mi-${paused}-${chat}`)).toBe(true);
    const tapped = await publish({ region: 'turkistan', title: 'Tapped' });
    expect(await entries()).toContain('1. Invitations to answer (2)');
    // Answered with the buttons: gone from the page.
    for (const id of [paused, tapped]) await app.send(app.api.callback(chat, `ms:dec:${id}`, undefined, { enqueue: false }));
    expect(await entries()).not.toContain('waiting for my answer');
  });

  it('lists missions with the longest title whole in the text; the buttons stay short; a typed title picks its mission', async () => {
    const chat = 9650;
    await onboard(app, chat, 'Русский');
    await addVolunteer(app, chat, 'ru', { region: 'east-kazakhstan' });
    const long = 'Помощь на благотворительной ярмарке в парке имени Первого Президента Республики Казахстан у фонтанов';
    expect([...long].length).toBe(MISSION_TITLE_MAX);
    const later = new Date(time.now().getTime() + 96 * HOUR);
    const first = await publish({ region: 'east-kazakhstan', title: long });
    const second = await publish({ region: 'east-kazakhstan', title: `${long.slice(0, 90)} у входа`, startsAt: later });
    await openPage(chat, 'Стать волонтёром');
    await app.say(chat, '1');
    const list = app.last(chat);
    expect(list.text).toContain(`1. 23.11.2026 11:00 — «${long}», `);
    expect(list.text).toContain(`«${long.slice(0, 90)} у входа»`);
    const buttons = list.buttons.flat();
    expect(buttons.slice(0, 2)).toEqual(['1. 23.11.2026 11:00', `2. ${formatKzDateTime(later, 'ru')}`]);
    for (const label of buttons) {
      expect(label).not.toContain('…');
      expect([...label].length).toBeLessThanOrEqual(BUTTON_MAX);
    }
    // A title that is not on the list (someone else's mission, a guess) is refused; the same list again.
    await app.say(chat, 'Уборка парка');
    expect(app.drain(chat).join('\n')).toContain('Нажмите кнопку или напишите её номер');
    expect(app.last(chat).text).toBe(list.text);
    // Typing the whole second title picks the second mission, not the first.
    await app.say(chat, `${long.slice(0, 90)} у входа`);
    await app.say(chat, 'принять');
    expect((await assignment(second, chat))?.status).toBe('accepted');
    expect(await assignment(first, chat)).toBeNull();
    // "I cannot come to a mission": the same list, full title in the text, the time on the button.
    await openPage(chat, 'Стать волонтёром');
    await app.tapLike(chat, 'Не смогу прийти');
    expect(app.last(chat).text).toContain(`1. ${formatKzDateTime(later, 'ru')} — «${long.slice(0, 90)} у входа»`);
    expect(app.last(chat).buttons.flat()[0]).toBe(`1. ${formatKzDateTime(later, 'ru')}`);
    await app.tapLike(chat, 'Отмена');
    app.drain(chat);
  });

  it('turns down bad input at the new steps and stores nothing', async () => {
    const chat = 9640;
    await onboard(app, chat);
    await addVolunteer(app, chat, 'en', { region: 'shymkent' });
    const id = await publish({ region: 'shymkent', title: 'Book fair' });
    await openPage(chat);
    await app.say(chat, '1');
    await app.say(chat, '7');
    // One invitation on the list: its own message (errors:choice-single), no "from 1 to 1".
    expect(app.drain(chat).join('\n')).toContain('Please tap the button or type 1.');
    await app.send(app.api.sticker(chat, { enqueue: false }));
    expect(app.drain(chat).join('\n')).toContain('I cannot read stickers');
    await app.say(chat, '1');
    await app.say(chat, 'maybe');
    expect(app.drain(chat).join('\n')).toContain('Please tap a button or type its number');
    expect(app.last(chat).text).toContain('Can you come?');
    expect(await assignment(id, chat)).toBeNull();
    // Back to the list of invitations, then Cancel: still nothing stored, still waiting.
    await app.tapLike(chat, 'Back');
    expect(app.last(chat).text).toContain('1. 23.11.2026 11:00 — "Book fair"');
    await app.tapLike(chat, 'Cancel');
    expect(await assignment(id, chat)).toBeNull();
    expect((await openPage(chat)).buttons.flat()[0]).toBe('1. Invitations to answer (1)');

    // Answered with the button while the page was open: the entry has nothing left.
    await app.send(app.api.callback(chat, `ms:acc:${id}`, undefined, { enqueue: false }));
    app.drain(chat);
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toContain('Nothing is waiting for your answer now.');
    expect((await assignment(id, chat))?.status).toBe('accepted');
  });
});
