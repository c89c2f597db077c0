// The "Answer" button under a notice asking for more information, tapped in the middle of another
// form when there is nothing left to answer: answered already (from another device, or the same
// notice twice), or decided by a reviewer meanwhile. The bot said so, and the form the person was
// filling in was gone with every answer in it. The form stays open, with its question again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, submitDirectly } from '../grant/helpers.js';

const ADMIN = 972;
const STAFF = 973;
const APPLICANT = 474;

describe('attack: an old "Answer" button tapped in the middle of another form', () => {
  let app: TestApp;
  let ref: string;
  beforeAll(async () => {
    app = await createSceneHarness('attack_grant_answer_mid_form', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    await onboard(app, APPLICANT);
    ref = await submitDirectly(app.bot.services.grants, APPLICANT, IIN.adultA);
    expect((await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'more-info', 'Where will the workshop be?')).result).toBe('changed');
  });
  afterAll(async () => app?.close());

  const answerButton = () => {
    const job = (app.delivery as RecordingDelivery).jobs.find((j) => j.kind === 'grant-status' && j.ref === `grant:${ref}`);
    return job!.buttons![0]![0]!.data!;
  };

  it('keeps the volunteer sign-up open when the question was answered already', async () => {
    const data = answerButton();
    // Answered once, with the notice's button.
    await app.send(app.api.callback(APPLICANT, data, app.last(APPLICANT).messageId, { enqueue: false }));
    await app.say(APPLICANT, 'At home, in a separate room of our flat.');
    expect(app.drain(APPLICANT).join('\n')).toContain(`Your answer is added to application ${ref}`);
    // Then the sign-up, two answers in.
    await app.command(APPLICANT, 'menu');
    await app.tapLike(APPLICANT, 'Become a volunteer');
    await app.say(APPLICANT, 'Aliya Sarsenbayeva');
    await app.say(APPLICANT, '30');
    const question = app.last(APPLICANT).text;
    expect(question).toContain('What is your mobile number?');
    app.drain(APPLICANT);

    // The same button again, on the other device.
    await app.send(app.api.callback(APPLICANT, data, app.last(APPLICANT).messageId, { enqueue: false }));
    // Told on the button (an alert), so the form's question is still the last message.
    const toast = app.api.callsOf('answerCallbackQuery').at(-1)!.payload as { text?: string; show_alert?: boolean };
    expect(toast).toMatchObject({ text: `Application ${ref} is not waiting for an answer now. Check its status with /myapplications.`, show_alert: true });
    expect(app.drain(APPLICANT)).toEqual([]);
    expect(app.last(APPLICANT).text).toBe(question);
    const stored = await app.bot.sessions.peek(APPLICANT);
    expect(stored!.scene).toMatchObject({ id: 'volunteer-signup', answers: { name: 'Aliya Sarsenbayeva', age: 30 } });
    await app.say(APPLICANT, '+7 701 555 44 33');
    expect(app.last(APPLICANT).text).toContain('In which region can you help?');
  });
});
