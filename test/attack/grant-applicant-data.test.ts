// Attacks on what the grant feature shows, and to whom: a stranger typing someone's IIN, a
// reviewer reading a long answer, the applicant's own "My data", and a mistyped amount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { fillApplication, IDEA, IIN, NOW, openApplication, refIn } from '../grant/helpers.js';

const ADMIN = 950;
const STAFF = 951;
const APPLICANT = 401;
const STRANGER = 402;

describe('grant: applicant data and who sees it', () => {
  let app: TestApp;
  let ref: string;

  /** The reviewer opens one application from the list of all regions. */
  async function openReview(reference: string): Promise<void> {
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Review applications');
    await app.say(STAFF, '1');
    await app.tapLike(STAFF, 'All regions');
    app.drain(STAFF);
    await app.tapLike(STAFF, reference);
  }

  beforeAll(async () => {
    app = await createSceneHarness('attack_grant_data', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    await onboard(app, STAFF);
    await onboard(app, APPLICANT);
    ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultA }));
  });
  afterAll(async () => app?.close());

  it("does not tell a stranger who types someone's IIN the reference number of their application", async () => {
    await onboard(app, STRANGER, 'Русский');
    await openApplication(app, STRANGER);
    await app.say(STRANGER, '1');
    await app.say(STRANGER, 'Другой Человек');
    app.drain(STRANGER);
    await app.say(STRANGER, IIN.adultA);
    const texts = app.drain(STRANGER).join('\n');
    expect(texts).not.toContain(ref);
    expect(texts).not.toMatch(/KMK-\d{4}-\d{6}/);
    // The one promise they can act on, and the same question again.
    expect(texts).toContain('ИИН набран с ошибкой');
    expect(app.last(STRANGER).text).toContain('Напишите ваш ИИН');
    await app.command(STRANGER, 'cancel');

    // The same holds when two forms race past the IIN step and the second is stopped at Submit.
    const raced = await app.bot.services.grants.submit({
      userId: STRANGER, chatId: STRANGER, locale: 'ru', submissionKey: `${STRANGER}-1`, programme: 'grant', name: 'Другой Человек',
      iin: IIN.adultA, phone: '+77011234567', region: 'astana', groups: ['kandas'], members: 3, children: 1, sector: 'it',
      idea: 'x'.repeat(60), amount: 100000, mci: 4325, mciYear: 2026,
    });
    expect(raced).toEqual({ result: 'duplicate', ref, own: false });
  });

  it('still names the applicant their own open application when they type their IIN again', async () => {
    await openApplication(app, APPLICANT);
    await app.say(APPLICANT, '1');
    await app.say(APPLICANT, 'Aliya Sarsenbayeva');
    app.drain(APPLICANT);
    await app.say(APPLICANT, IIN.adultA);
    expect(app.drain(APPLICANT).join('\n')).toContain(`being considered: ${ref}`);
    await app.command(APPLICANT, 'cancel');
    app.drain(APPLICANT);
  });

  it('shows a reviewer the whole of a long answer from the applicant, not cut off', async () => {
    // Two rounds of questions, each as long as staff and applicant may write: the latest answer,
    // the one the reviewer is about to decide on, comes last.
    const question = `Please describe the premises. ${'Where exactly is it and who owns it? '.repeat(30)}`.slice(0, 1000).trim();
    const answer = (end: string) => `${'The workshop is in our own house, a separate room of 20 square metres. '.repeat(25)}${end}`.slice(-1500);
    for (const [index, end] of ['FIRST-ANSWER', 'END-OF-ANSWER'].entries()) {
      const from = index === 0 ? 'submitted' : 'in-review';
      expect((await app.bot.services.grants.changeStatus(STAFF, ref, from, 'more-info', question)).result).toBe('changed');
      expect(await app.bot.services.grants.answerMoreInfo(APPLICANT, ref, answer(end))).toBe('ok');
    }

    await openReview(ref);
    const parts = app.drain(STAFF);
    const shown = parts.join('\n');
    expect(shown).toContain('END-OF-ANSWER');
    expect(shown).toContain(question);
    // Every message still fits Telegram's limit, and the decision buttons are there.
    for (const text of parts) expect(text.length).toBeLessThanOrEqual(4096);
    expect(app.last(STAFF).buttons.flat().join(' | ')).toContain('Approve');
    expect(app.last(STAFF).text!.length).toBeLessThanOrEqual(4096);
    await app.command(STAFF, 'cancel');
  });

  it('"My data" shows everything an application holds about the applicant, masked where it is personal', async () => {
    await app.command(APPLICANT, 'mydata');
    const overview = app.drain(APPLICANT).join('\n');
    expect(overview).toContain(ref);
    expect(overview).toContain('Aliya Sarsenbayeva');
    expect(overview).toContain('Karaganda Region');
    expect(overview).toContain('We are a large family');
    expect(overview).toMatch(/Amount: 1,500,000\stenge/);
    expect(overview).toContain('sewing workshop');
    expect(overview).toContain('Number of your answers to the staff: 2.');
    expect(overview).toContain(`IIN ending in ${IIN.adultA.slice(-2)}`);
    expect(overview).not.toContain(IIN.adultA);
    await app.command(APPLICANT, 'cancel');
  });

  it('asks for the amount in tenge, or the year, again when the typed number is not one the step takes', async () => {
    await onboard(app, 403);
    await openApplication(app, 403);
    for (const answer of ['1', 'Aliya Sarsenbayeva', IIN.adultB, '+7 701 123 45 67', 'Караганда', '1', '6', '4', '2', IDEA]) await app.say(403, answer);
    app.drain(403);
    await app.say(403, '1 500 000,50');
    const amount = app.drain(403).join('\n');
    expect(amount).toContain('Please type the amount in tenge, for example: 1 500 000.');
    expect(amount).not.toContain('for example: 5.');
    expect(app.last(403).text).toContain('How much money do you need');
    await app.say(403, '1 500 000');
    await app.say(403, '2025.5');
    expect(app.drain(403).join('\n')).toContain('Please type the year with four digits, for example: 2025.');
    expect(app.last(403).text).toContain('Bastau Business');
    await app.command(403, 'cancel');
  });

  it('tells a reviewer when the applicant erased their data, and asks them no question nobody can answer', async () => {
    const GONE = 404;
    await onboard(app, GONE);
    const gone = refIn(await fillApplication(app, GONE, { iin: IIN.adultC }));
    await app.command(GONE, 'mydata');
    await app.say(GONE, '1');
    await app.say(GONE, '1');
    app.drain(GONE);

    await openReview(gone);
    const shown = app.drain(STAFF).join('\n');
    expect(shown).toContain('The applicant deleted their personal data on 20.11.2026');
    const buttons = app.last(STAFF).buttons.flat().join(' | ');
    expect(buttons).not.toContain('Ask for more information');
    expect(buttons).toContain('Approve');
    await app.command(STAFF, 'cancel');
    // A decision taken from a screen opened before the erasure is refused as well.
    expect((await app.bot.services.grants.changeStatus(STAFF, gone, 'submitted', 'more-info', 'Where is the workshop?')).result).toBe('not-allowed');
    expect((await app.bot.services.grants.changeStatus(STAFF, gone, 'submitted', 'in-review')).result).toBe('changed');
  });

  it('does not let a large family of one person reach a question no number can answer', async () => {
    await onboard(app, 405, 'Русский');
    await openApplication(app, 405);
    for (const answer of ['1', 'Алия Сарсенбаева', IIN.adultD, '+7 701 123 45 67', 'Астана', '1']) await app.say(405, answer);
    app.drain(405);
    // With 1 member, the children step refused every number: under 4 (a large family) and over 1 (the family).
    await app.say(405, '1');
    const texts = app.drain(405).join('\n');
    expect(texts).toContain('не меньше 5 человек');
    expect(texts).toContain('«Назад»');
    expect(app.last(405).text).toContain('Сколько человек в вашей семье');
    await app.say(405, '5');
    expect(app.last(405).text).toContain('Сколько в семье детей');
    await app.command(405, 'cancel');
  });

  it('asks for an answer in words when the answer to the staff is only emoji, and keeps the question open', async () => {
    await onboard(app, 406);
    const waiting = refIn(await fillApplication(app, 406, { iin: IIN.adultE }));
    await app.bot.services.grants.changeStatus(STAFF, waiting, 'submitted', 'more-info', 'Where will the workshop be?');
    await app.command(406, 'menu');
    await app.tapLike(406, 'Family business');
    await app.say(406, '1');
    app.drain(406);
    await app.say(406, '👍👍👍👍👍');
    expect(app.drain(406).join('\n')).toContain('Please write your answer in words');
    expect(app.last(406).text).toContain('Where will the workshop be?');
    expect((await app.bot.services.grants.get(waiting))!.status).toBe('more-info');
    await app.say(406, 'At home, in a separate room.');
    expect((await app.bot.services.grants.get(waiting))!.status).toBe('in-review');
  });
});

