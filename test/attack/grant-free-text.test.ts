// An applicant types IINs and phone numbers where the form asks for words: into the business idea
// ("my husband's IIN is …") and into the answer to a reviewer's question. Those texts must rest
// encrypted, like the IIN and phone fields, and a reviewer who is not an admin must not read an
// IIN in full there either, while the words around it stay readable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { maskIin } from '../../src/domain/iin.js';
import { IIN, NOW, submitDirectly } from '../grant/helpers.js';

const ADMIN = 952;
const STAFF = 953;
const APPLICANT = 431;
const SPOUSE_IIN = IIN.adultB;
const IDEA_PHONE = '+7 707 555 12 34';
const ANSWER_PHONE = '8 (747) 111-22-33';
const IDEA = `A sewing workshop at home with my husband, his IIN is ${SPOUSE_IIN}; call me on ${IDEA_PHONE} about the premises.`;
const ANSWER = `The room is ours. My own IIN is ${IIN.adultA}, the landlord's phone is ${ANSWER_PHONE}.`;
/** Reviewers write about the applicant too, and quote what they check. */
const QUESTION = `Who owns the room? The IIN ${IIN.adultD} in the certificate is not yours, and ${'+7 775 000 11 22'} does not answer.`;

describe('attack: IINs and phone numbers typed into the free texts of an application', () => {
  let app: TestApp;
  let ref: string;

  const raw = async () => {
    const application = await app.mongo.db!.collection('grantapplications').findOne({ ref });
    const decisions = await app.mongo.db!.collection('grantdecisions').find({ ref }).toArray();
    return { application, decisions, text: JSON.stringify([application, decisions]) };
  };

  /** A reviewer opens the application from the list of all regions. */
  async function openReview(reviewer: number): Promise<string> {
    await app.command(reviewer, 'menu');
    await app.tapLike(reviewer, 'Staff');
    await app.tapLike(reviewer, 'Review applications');
    await app.say(reviewer, '1');
    await app.tapLike(reviewer, 'All regions');
    app.drain(reviewer);
    await app.tapLike(reviewer, ref);
    const shown = app.drain(reviewer).join('\n');
    await app.command(reviewer, 'cancel');
    app.drain(reviewer);
    return shown;
  }

  beforeAll(async () => {
    app = await createSceneHarness('attack_grant_free_text', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    for (const user of [ADMIN, STAFF, APPLICANT]) await onboard(app, user);
    ref = await submitDirectly(app.bot.services.grants, APPLICANT, IIN.adultA, { name: 'Aliya Sarsenbayeva', members: 6, children: 4, sector: 'textiles', idea: IDEA, amount: 1_500_000 });
    expect((await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'more-info', QUESTION)).result).toBe('changed');
    expect(await app.bot.services.grants.answerMoreInfo(APPLICANT, ref, ANSWER)).toBe('ok');
  });
  afterAll(async () => app?.close());

  it('keeps the idea and the answer encrypted in the application and in the decisions', async () => {
    const { text } = await raw();
    for (const clear of [SPOUSE_IIN, IIN.adultA, IIN.adultD, IDEA_PHONE, ANSWER_PHONE, '+7 775 000 11 22', 'sewing workshop', 'The room is ours', 'Who owns']) {
      expect(text).not.toContain(clear);
    }
    // Read through the service, both are the applicant's words as written.
    const record = await app.bot.services.grants.get(ref);
    expect(record!.idea).toBe(IDEA);
    expect(record!.history.at(-1)!.answer).toBe(ANSWER);
    expect(record!.history[1]!.comment).toBe(QUESTION);
    // The applicant was told the question in their chat, in full.
    expect((app.delivery as RecordingDelivery).jobs.find((j) => j.kind === 'grant-status' && j.ref === `grant:${ref}`)?.text).toContain(QUESTION);
  });

  it('shows a reviewer who is not an admin the words with every IIN masked; an admin reads them in full', async () => {
    const staffSees = await openReview(STAFF);
    expect(staffSees).toContain('A sewing workshop at home with my husband, his IIN is');
    expect(staffSees).toContain('the landlord\'s phone is');
    expect(staffSees).not.toContain(SPOUSE_IIN);
    expect(staffSees).not.toContain(IIN.adultA);
    expect(staffSees).toContain(maskIin(SPOUSE_IIN));
    expect(staffSees).toContain('in the certificate is not yours');
    expect(staffSees).not.toContain(IIN.adultD);
    const adminSees = await openReview(ADMIN);
    expect(adminSees).toContain(SPOUSE_IIN);
    expect(adminSees).toContain(`My own IIN is ${IIN.adultA}`);
  });

  it('still shows the applicant their own words in "My data"', async () => {
    await app.command(APPLICANT, 'mydata');
    const overview = app.drain(APPLICANT).join('\n');
    expect(overview).toContain('A sewing workshop at home');
    expect(overview).toContain('Number of your answers to the staff: 1.');
    await app.command(APPLICANT, 'cancel');
    app.drain(APPLICANT);
  });

  it('seals the idea and answers an older version stored in the clear, and reads them meanwhile', async () => {
    const older = await app.bot.services.grants.submit({
      userId: 432, chatId: 432, locale: 'en', submissionKey: '432-1', programme: 'microloan', name: 'Dana Older',
      iin: IIN.adultC, phone: '+77011234568', region: 'astana', groups: ['kandas'], members: 3, children: 1, sector: 'it',
      idea: IDEA, amount: 1_000_000, mci: 4325, mciYear: 2026,
    });
    if (older.result !== 'created') throw new Error(`not submitted: ${older.result}`);
    await app.bot.services.grants.changeStatus(STAFF, older.ref, 'submitted', 'more-info', QUESTION);
    await app.bot.services.grants.answerMoreInfo(432, older.ref, ANSWER);
    // As an older version wrote them: in the clear.
    const applications = app.mongo.db!.collection('grantapplications');
    await applications.updateOne(
      { ref: older.ref },
      { $set: { idea: IDEA, 'history.1.comment': QUESTION, 'history.2.answer': ANSWER }, $unset: { ideaEnc: 1, 'history.1.commentEnc': 1, 'history.2.answerEnc': 1 } },
    );
    const decisions = app.mongo.db!.collection('grantdecisions');
    await decisions.updateOne({ ref: older.ref, source: 'applicant' }, { $set: { answer: ANSWER }, $unset: { answerEnc: 1 } });
    await decisions.updateOne({ ref: older.ref, source: 'staff' }, { $set: { comment: QUESTION }, $unset: { commentEnc: 1 } });
    const before = await app.bot.services.grants.get(older.ref);
    expect([before!.idea, before!.history[1]!.comment, before!.history[2]!.answer]).toEqual([IDEA, QUESTION, ANSWER]);

    expect(await app.bot.services.grants.sealOlderTexts()).toBe(3);
    const stored = JSON.stringify([await applications.findOne({ ref: older.ref }), await app.mongo.db!.collection('grantdecisions').find({ ref: older.ref }).toArray()]);
    for (const clear of [SPOUSE_IIN, IIN.adultA, IIN.adultD, 'sewing workshop', 'The room is ours', 'Who owns']) expect(stored).not.toContain(clear);
    const after = await app.bot.services.grants.get(older.ref);
    expect([after!.idea, after!.history[1]!.comment, after!.history[2]!.answer]).toEqual([IDEA, QUESTION, ANSWER]);
    expect(await app.bot.services.grants.sealOlderTexts()).toBe(0);
  });

  it('"Delete my data" takes the sealed texts away too', async () => {
    await app.bot.services.grants.eraseForUser(APPLICANT);
    const { application, decisions } = await raw();
    for (const gone of ['idea', 'ideaEnc', 'name', 'phoneEnc']) expect(application).not.toHaveProperty(gone);
    for (const entry of application!.history) expect(Object.keys(entry)).not.toEqual(expect.arrayContaining(['answerEnc']));
    for (const entry of application!.history) expect(entry).not.toHaveProperty('answer');
    for (const decision of decisions) {
      expect(decision).not.toHaveProperty('answer');
      expect(decision).not.toHaveProperty('answerEnc');
    }
  });
});
