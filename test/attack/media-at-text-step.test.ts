// A photo, a sticker or a file where the bot asks for words (the answer to a reviewer's question,
// a name, an IIN): the bot said "Please answer with a button or in words" under a question that
// has no answer buttons, so people looked for one. Where a step takes only typing, it says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, openApplication, submitDirectly } from '../grant/helpers.js';

const ADMIN = 982;
const STAFF = 983;

describe('attack: a photo or a file where the bot asks for words', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_media_at_text_step', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
  });
  afterAll(async () => app?.close());

  it.each([
    ['English', 491, 'I cannot read stickers, photos or files here. Please type your answer.', 'button'],
    ['Русский', 492, 'Здесь я не могу прочитать стикеры, фото и файлы. Напишите, пожалуйста, ответ текстом.', 'кнопк'],
    ['Қазақша', 493, 'Мұнда стикерлерді, суреттерді және файлдарды оқи алмаймын. Жауабыңызды мәтінмен жазыңыз.', 'Батырма'],
  ] as const)('the answer to a reviewer\'s question: "type it", not "tap a button" (%s)', async (language, applicant, says, button) => {
    await onboard(app, applicant, language);
    const iin = [IIN.adultA, IIN.adultB, IIN.adultC][applicant - 491]!;
    const ref = await submitDirectly(app.bot.services.grants, applicant, iin);
    await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'more-info', 'Please send a photo of your certificate.');
    const job = (app.delivery as RecordingDelivery).jobs.find((j) => j.kind === 'grant-status' && j.ref === `grant:${ref}`)!;
    await app.send(app.api.callback(applicant, job.buttons![0]![0]!.data!, app.last(applicant).messageId, { enqueue: false }));
    const question = app.last(applicant).text;
    app.drain(applicant);
    for (const media of [app.api.photo(applicant, { enqueue: false }), app.api.document(applicant, { enqueue: false }), app.api.sticker(applicant, { enqueue: false })]) {
      await app.send(media);
      const said = app.drain(applicant)[0]!;
      expect(said).toBe(says);
      expect(said).not.toContain(button);
      expect(app.last(applicant).text).toBe(question);
    }
  });

  it('tells the reviewer who asks a question that the answer comes in words', async () => {
    const ref = await submitDirectly(app.bot.services.grants, 495, IIN.adultD);
    await onboard(app, STAFF);
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Review applications');
    await app.say(STAFF, '1');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, ref);
    app.drain(STAFF);
    await app.tapLike(STAFF, 'Ask for more information');
    expect(app.drain(STAFF).join('\n')).toContain('can answer in the chat, in words: photos and files cannot be sent here.');
    await app.command(STAFF, 'cancel');
  });

  it('still speaks of buttons where the question has them', async () => {
    await onboard(app, 494);
    await openApplication(app, 494);
    app.drain(494);
    await app.send(app.api.photo(494, { enqueue: false }));
    expect(app.drain(494)[0]).toBe('I cannot read stickers, photos, voice messages or files here. Please answer with a button or in words.');
    await app.say(494, '1');
    app.drain(494);
    await app.send(app.api.sticker(494, { enqueue: false }));
    expect(app.drain(494)[0]).toBe('I cannot read stickers, photos or files here. Please type your answer.');
  });
});
