// Two operators tap Take on the same question in the staff group, one after the other or at the
// same moment. Both were told "Question … is taken", the topic said so twice without saying who
// (a tap is seen by nobody else in the group), and the later Take silently replaced the earlier
// one: each believed the question was theirs, and both answered the person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { groupCallback, groupText, messagesInThread } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT } from '../features/inquiries/helpers.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { inquiryModel } from '../../src/features/inquiries/inquiry.model.js';

const AIGERIM = 8401;
const BOLAT = 8402;
const REVOKED = 8403;

describe('attack: two operators take the same question', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('atk_take_same', {
      adminIds: [AIGERIM, BOLAT],
      env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' },
    });
    await app.bot.services.users.makeStaff(REVOKED, REVOKED, 'en', AIGERIM, { roles: ['operator'], regions: null, topics: null });
  }, 60_000);
  afterAll(async () => app?.close());

  const takenPosts = (threadId: number) => messagesInThread(app.api, STAFF_CHAT, threadId).filter((m) => /is taken/.test(m.text ?? '')).map((m) => m.text);
  const tapTake = async (operator: number, name: string, ref: string, threadId: number) => {
    const before = app.api.callsOf('answerCallbackQuery').length;
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, operator, `iq:take:${ref}`, { enqueue: false, firstName: name }));
    return String(app.api.callsOf('answerCallbackQuery').slice(before).at(-1)?.payload.text ?? '');
  };
  const takenBy = async (ref: string) => (await inquiryModel(app.mongo).findOne({ ref }).lean())?.takenBy;

  it('the first keeps it; the topic says who took it, once; the second is told it is taken already', async () => {
    const chat = 6401;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi to the clinic?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;

    expect(await tapTake(AIGERIM, 'Aigerim', ref, threadId)).toContain('is taken');
    expect(await tapTake(BOLAT, 'Bolat', ref, threadId)).toBe(`Question ${ref} is already taken by another operator.`);
    // Typed as a command too.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, BOLAT, '/take', { enqueue: false, firstName: 'Bolat' }));
    // The same operator again: nothing new is said in the topic.
    expect(await tapTake(AIGERIM, 'Aigerim', ref, threadId)).toContain('is taken');

    expect(takenPosts(threadId)).toEqual([`Question ${ref} is taken by Aigerim.`]);
    expect(messagesInThread(app.api, STAFF_CHAT, threadId).at(-1)?.text).not.toBe(`Question ${ref} is taken by Bolat.`);
    expect(await takenBy(ref)).toBe(AIGERIM);
    expect(await auditLogModel(app.mongo).countDocuments({ action: 'inquiry.take', target: `inquiry:${ref}` })).toBe(1);
  });

  it('two taps at the same moment: one of them takes it', async () => {
    const chat = 6402;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the disability decision?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const [a, b] = await Promise.all([app.bot.services.inquiries.take(ref, AIGERIM), app.bot.services.inquiries.take(ref, BOLAT)]);
    expect([a, b].filter((r) => r === 'taken')).toHaveLength(1);
    expect([a, b].filter((r) => r === 'taken-by-other')).toHaveLength(1);
    expect([AIGERIM, BOLAT]).toContain(await takenBy(ref));
    expect(threadId).toBeGreaterThan(0);
  });

  it('a question taken by someone who lost the access since may be taken by another', async () => {
    const chat = 6403;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where can my son get a wheelchair repaired?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(await tapTake(REVOKED, 'Dana', ref, threadId)).toContain('is taken');
    await app.bot.services.staff.revoke(AIGERIM, REVOKED);
    expect(await tapTake(BOLAT, 'Bolat', ref, threadId)).toContain('is taken');
    expect(await takenBy(ref)).toBe(BOLAT);
    expect(takenPosts(threadId)).toEqual([`Question ${ref} is taken by Dana.`, `Question ${ref} is taken by Bolat.`]);
  });
});
