import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, createTestApp, onboard, RecordingDelivery, type TestApp } from '../../support/app-harness.js';
import type { DeliveryJob } from '../../../src/delivery/types.js';
import { remindWaiting } from '../../../src/features/inquiries/reminders.js';
import { askPerson } from './helpers.js';

const ADMIN = 8001;
const OPERATOR = 8002;

// Without a staff group: knowledge base answers, questions during forms, My questions, the Staff
// menu queue, a restart while an inquiry is open, and My data.
describe('citizen questions without a staff group', () => {
  let app: TestApp;
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  beforeAll(async () => {
    app = await createSceneHarness('inq_citizen', { adminIds: [ADMIN], redisPrefix: prefix });
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN);
    await app.bot.services.access.grant(OPERATOR, { roles: ['operator'], regions: ['almaty'], topics: null }, 0);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('free text at the main menu gets a knowledge base answer in the user\'s language, with a button into the scene', async () => {
    await onboard(app, 6101, 'Русский');
    await app.say(6101, 'где получить справку об инвалидности ребёнку?');
    const answer = app.last(6101);
    expect(answer.text).toContain('педиатр');
    expect(answer.text).toContain('(Пример ответа, сотрудники его ещё не подтвердили.)');
    expect(answer.buttons.flat()).toEqual(expect.arrayContaining(['Это помогло', 'Спросить сотрудника']));
    expect(answer.text).not.toMatch(/did not understand|Не понял/);

    await onboard(app, 6102, 'Қазақша');
    await app.say(6102, 'жақын жерде оңалту орталығы бар ма');
    expect(app.last(6102).buttons.flat()).toContain('Жақын орталықты табу');
    await app.tapLike(6102, 'Жақын орталықты табу');
    expect(app.drain(6102).join('\n')).toMatch(/өңір|Өңір/);

    // Typed "This helped" works like the button.
    await app.say(6101, 'Это помогло');
    expect(app.drain(6101).join('\n')).toContain('Хорошо, что ответ помог');
  });

  it('small talk finds nothing and offers a person; a short request for a service opens it', async () => {
    await onboard(app, 6103);
    await app.say(6103, 'hello there');
    const texts = app.drain(6103);
    expect(texts.join('\n')).toContain('I have no answer to that yet');
    expect(app.api.visibleMessages(6103).flatMap((m) => m.buttons.flat())).toContain('Ask a person');
    await app.say(6103, 'sign up as volunteer');
    expect(app.drain(6103).join('\n')).toContain('Opening "Become a volunteer"');
    // The same in the other languages, in their own words and endings.
    await onboard(app, 6114, 'Русский');
    // A menu entry's own words open it; a short request in other words opens the scene it names.
    await app.say(6114, 'стать волонтёром');
    expect(app.drain(6114).join('\n')).toContain('Как вас зовут');
    await app.command(6114, 'start');
    app.drain(6114);
    await app.say(6114, 'записаться в волонтёры');
    const ru = app.drain(6114).join('\n');
    expect(ru).toContain('Открываю «');
    expect(ru).toContain('Как вас зовут');
    await onboard(app, 6115, 'Қазақша');
    await app.say(6115, 'оңалту орталығын табу');
    const kk = app.drain(6115).join('\n');
    expect(kk).toContain('Қай жерден ізд');
  });

  it('a question typed at a form step that wants a tap is answered, then the step is asked again; a typed answer to a text step stays an answer', async () => {
    await onboard(app, 6104);
    await app.command(6104, 'ask');
    app.drain(6104);
    await app.say(6104, 'where do I get a disability certificate?');
    const texts = app.drain(6104);
    expect(texts[0]).toContain('certificate');
    expect(texts.at(-1)).toContain('What is your question about?');
    await app.tapLike(6104, 'Rehabilitation');
    await app.say(6104, 'where do I get a disability certificate?');
    expect(app.drain(6104).join('\n')).toContain('Which region are you in?');
  });

  it('asking a person: My questions, the Staff menu queue by scope, a reply, closing and rating', async () => {
    await onboard(app, 6105);
    const ref = await askPerson(app, 6105, 'My son needs a wheelchair, which office do I go to?');
    // "My questions" under the confirmation, and the command, show the same list.
    await app.tapLike(6105, 'My questions');
    expect(app.drain(6105).join('\n')).toContain(`${ref} · Rehabilitation and disability`);
    await app.command(6105, 'myquestions');
    expect(app.drain(6105).join('\n')).toContain(`${ref} · Rehabilitation and disability`);

    // The operator (scope: Almaty) sees it in the Staff menu queue and answers it there.
    await onboard(app, OPERATOR);
    await app.tapLike(OPERATOR, 'Staff');
    await app.tapLike(OPERATOR, "Citizens' questions");
    expect(app.drain(OPERATOR).join('\n')).toContain(ref);
    await app.tapLike(OPERATOR, ref);
    expect(app.drain(OPERATOR).join('\n')).toContain('Citizen: My son needs a wheelchair');
    await app.tapLike(OPERATOR, 'Reply');
    await app.say(OPERATOR, 'Go to the district social protection office with the IRP.');
    expect(app.drain(OPERATOR).join('\n')).toContain(`The answer to ${ref} is on its way`);
    const delivery = app.delivery as RecordingDelivery;
    const sent = delivery.to(6105).find((j) => j.text.includes('district social protection'));
    expect(sent?.text).toMatch(new RegExp(`^Operator, question ${ref}`));

    // Out of scope: a question from another region is not in this operator's queue.
    await onboard(app, 6106);
    await app.say(6106, 'Something nobody wrote about yet');
    await app.tapLike(6106, 'Ask a person');
    await app.tapLike(6106, 'Something else');
    await app.tapLike(6106, 'Astana');
    await app.tapLike(OPERATOR, 'Staff');
    await app.tapLike(OPERATOR, "Citizens' questions");
    const queue = app.drain(OPERATOR).join('\n');
    expect(queue).toContain(ref);
    const other = (await app.bot.services.inquiries.listForUser(6106))[0]!.ref;
    expect(queue).not.toContain(other);
    await app.say(OPERATOR, other);
    expect(app.drain(OPERATOR).join('\n')).toContain(`You cannot answer question ${other}`);

    // Operator turns the answered inquiry into a knowledge base entry: both texts offered to
    // review, published on Publish (test/features/inquiries/kb-entry.test.ts has the form).
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Make a knowledge base entry');
    await app.tapLike(OPERATOR, 'Keep this text');
    await app.tapLike(OPERATOR, 'Keep this text');
    expect((await app.bot.services.faq.all()).some((e) => e.id === ref.toLowerCase())).toBe(false);
    await app.tapLike(OPERATOR, 'Publish');
    expect(app.drain(OPERATOR).join('\n')).toContain(`Entry ${ref.toLowerCase()} is published`);
    expect((await app.bot.services.faq.all()).some((e) => e.id === ref.toLowerCase() && !e.sample && e.en && !e.kk)).toBe(true);

    // The citizen closes it from My questions, and rates it.
    await app.command(6105, 'myquestions');
    await app.tapLike(6105, 'Close this question');
    expect(app.drain(6105).join('\n')).toContain(`Question ${ref} is closed`);
    const rating = delivery.to(6105).find((j) => j.id === `inq-${ref}-closed`);
    expect(rating?.buttons?.[0]?.map((b) => b.text)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('a restart while an inquiry is open: follow-ups still join it and answers still go out', async () => {
    // Its own pair of processes: the first must be gone before the second starts, or either
    // could take the chat (as production's processes may) and the test would wait on the other.
    const restartPrefix = `t-${randomBytes(5).toString('hex')}`;
    // Sessions must outlive the first process: both run over the Redis mailbox and HTTP.
    const before = await createTestApp('inq_restart', { adminIds: [ADMIN], redisPrefix: restartPrefix });
    let restarted: TestApp | undefined;
    try {
      await onboard(before, 6107);
      const ref = await askPerson(before, 6107, 'How do I renew my disability group?');
      await before.stop();
      restarted = await createTestApp('inq_restart', { adminIds: [ADMIN], redisPrefix: restartPrefix, mongoUri: before.mongoUri });
      // Telegram's update ids keep growing across restarts; a fresh local Bot API starts at 1 again.
      restarted.api.nextUpdateId = 100_000;
      await restarted.say(6107, 'I forgot to say: it expires next month');
      expect(restarted.drain(6107).join('\n')).toContain(`Added to your question ${ref}`);
      const inquiry = await restarted.bot.services.inquiries.get(ref);
      expect(restarted.bot.services.inquiries.messages(inquiry!).map((m) => m.text)).toEqual([
        'How do I renew my disability group?',
        'I forgot to say: it expires next month',
      ]);
      // An answer written after the restart still goes out to the citizen, as "Operator".
      await onboard(restarted, ADMIN);
      await restarted.say(ADMIN, ref);
      await restarted.tapLike(ADMIN, 'Reply');
      await restarted.say(ADMIN, 'Bring the old certificate to the assessment office.');
      const answer = (restarted.delivery as RecordingDelivery).to(6107).find((j) => j.text.includes('old certificate'));
      expect(answer?.text).toMatch(new RegExp(`^Operator, question ${ref}`));
    } finally {
      await restarted?.close();
      await before.close();
    }
  });

  it('My data shows the questions and deletes them', async () => {
    await onboard(app, 6108);
    const ref = await askPerson(app, 6108, 'Can my daughter get a hearing aid for free?');
    await app.command(6108, 'mydata');
    expect(app.drain(6108).join('\n')).toContain(`Question ${ref} (Rehabilitation and disability, waiting for an answer): 1 message`);
    await app.tapLike(6108, 'Delete all my data');
    await app.tapLike(6108, 'Yes, delete everything');
    expect(await app.bot.services.inquiries.listForUser(6108)).toEqual([]);
    expect(await app.bot.services.inquiries.get(ref)).toBeNull();
    // Every message the queue still holds for the person goes too (the queue's side:
    // test/delivery/personal-data.test.ts).
    expect((app.delivery as RecordingDelivery).forgotten).toEqual([6108]);
  });

  it('Staff figures: inquiries, knowledge base use, unanswered questions and step counters', async () => {
    await onboard(app, ADMIN);
    await app.tapLike(ADMIN, 'Staff');
    await app.tapLike(ADMIN, 'Question figures');
    await app.tapLike(ADMIN, '30 days');
    const text = app.drain(ADMIN).join('\n');
    expect(text).toContain('Questions in the last 30 days');
    expect(text).toMatch(/\d+ questions to a person/);
    expect(text).toContain('By topic:');
    expect(text).toContain('Median time to the first answer');
    expect(text).toContain('hello there');
    expect(text).toContain('inquiry-ask');
    expect(text).toMatch(/topic: .*en \d+/);
    expect(text).toMatch(/finished: .*en \d+/);
    // Counters hold no user id.
    const keys = await app.redis.keys(`${prefix}:funnel:*`);
    const all = (await Promise.all(keys.map((k) => app.redis.hgetall(k)))).flatMap((h) => Object.keys(h));
    expect(all.join(' ')).not.toMatch(/6\d{3}/);
  });

  it('an operator whose scope is narrowed while writing an answer is taken out before it is read; nothing reaches the citizen', async () => {
    const NARROWED = 8003;
    await app.bot.services.users.makeStaff(NARROWED, NARROWED, 'en', ADMIN);
    await app.bot.services.access.grant(NARROWED, { roles: ['operator'], regions: ['almaty'], topics: null }, ADMIN);
    await onboard(app, 6111);
    const ref = await askPerson(app, 6111, 'Who pays for a sign language interpreter at the clinic?');
    await onboard(app, NARROWED);
    await app.say(NARROWED, ref);
    await app.tapLike(NARROWED, 'Reply');
    expect(app.drain(NARROWED).join('\n')).toContain(`Write the answer to ${ref}`);
    // An admin moves the operator to another region while the answer is being written.
    await app.bot.services.access.grant(NARROWED, { roles: ['operator'], regions: ['astana'], topics: null }, ADMIN);
    await app.say(NARROWED, 'The clinic pays; ask at the registry.');
    expect(app.drain(NARROWED).join('\n')).toContain('Your access to "Answer to a citizen" has been withdrawn or changed');
    const delivery = app.delivery as RecordingDelivery;
    expect(delivery.to(6111).some((j) => j.text.includes('The clinic pays'))).toBe(false);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('open');
    const denied = await app.bot.services.audit.recent(5, { action: 'access.denied' });
    expect(denied.some((d) => d.actorId === NARROWED && d.target === 'scene:inquiry-reply')).toBe(true);
    // Withdrawn altogether: the Staff menu queue is not offered and typed numbers show nothing.
    await app.bot.services.users.revokeStaff(NARROWED);
    await app.say(NARROWED, ref);
    expect(app.drain(NARROWED).join('\n')).not.toContain('Who pays for a sign language interpreter');
  });

  it('an operator closes a question from the Staff menu: the citizen is asked to rate it, and it is audited', async () => {
    await onboard(app, 6112);
    const ref = await askPerson(app, 6112, 'Can my son attend a day-care centre in another district?');
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Close');
    expect(app.drain(OPERATOR).join('\n')).toContain(`Question ${ref} is closed`);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('closed');
    const delivery = app.delivery as RecordingDelivery;
    expect(delivery.to(6112).find((j) => j.id === `inq-${ref}-closed`)?.text).toContain('How helpful was the answer');
    // The rating buttons go out through the delivery queue (recorded here): press the one for 4.
    await app.send(app.api.callback(6112, `iq:rate:${ref}:4`, undefined, { enqueue: false }));
    expect(app.drain(6112).join('\n')).toContain(`Thank you for rating the answer to ${ref}`);
    const audit = await app.bot.services.audit.recent(50, { target: `inquiry:${ref}` });
    expect(audit.map((a) => a.action).sort()).toEqual(['inquiry.close', 'inquiry.open', 'inquiry.rate']);
    expect(audit.find((a) => a.action === 'inquiry.close')?.actorId).toBe(OPERATOR);
    // A second rating tap, or a rating of a question still open, changes nothing it should not.
    await app.send(app.api.callback(6112, `iq:rate:${ref}:9`, undefined, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.rating).toBe(4);
  });

  it('a burst of questions: look-ups beyond the limit a minute get a polite message and store nothing', async () => {
    await onboard(app, 6113);
    const limit = app.config.INQUIRY_FLOOD_PER_MINUTE;
    const before = await app.bot.services.faq.logModel().countDocuments();
    for (let i = 0; i < limit + 3; i += 1) await app.say(6113, `how do I get a wheelchair number ${i}?`);
    const texts = app.drain(6113);
    expect(texts.filter((t) => t.includes('You are sending questions very fast'))).toHaveLength(3);
    expect(await app.bot.services.faq.logModel().countDocuments()).toBe(before + limit);
  });

  it('forged and stale buttons: another person\'s question, staff-only actions, scenes outside the list', async () => {
    await onboard(app, 6109);
    const ref = await askPerson(app, 6109, 'Where do I apply for the carer allowance?');
    await onboard(app, 6110);
    const forge = async (data: string) => {
      await app.send(app.api.callback(6110, data, undefined, { enqueue: false }));
      return app.api.callsOf('answerCallbackQuery', undefined).at(-1)?.payload.text;
    };
    expect(await forge(`iq:close:${ref}`)).toBe('This button belongs to an earlier question.');
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('open');
    expect(await forge(`iq:faq:${ref}`)).toBe('This button belongs to an earlier question.');
    expect(await forge('iq:go:grant-review')).toBe('This button belongs to an earlier question.');
    await forge(`iq:rate:${ref}:5`);
    await forge('iq:fig:30');
    await forge('iq:mv:Q-2026-000001:9');
    expect((await app.bot.services.inquiries.get(ref))?.rating).toBeUndefined();
    expect((await app.bot.services.faq.all()).some((e) => e.id === ref.toLowerCase())).toBe(false);
    const seen = app.drain(6110).join('\n');
    expect(seen).not.toContain('Where do I apply for the carer allowance');
    expect(seen).not.toContain('Questions in the last');
  });
});

/** The project's own delivery interface, failing its first call as a queue that is away would. */
class FailingOnceDelivery extends RecordingDelivery {
  failures = 1;
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.failures-- > 0) throw new Error('queue unreachable');
    await super.enqueue(jobs);
  }
}

describe('reminders without a staff group', () => {
  let app: TestApp;
  const delivery = new FailingOnceDelivery();
  const COVERS = 8101;
  const OTHER_REGION = 8102;
  const OTHER_TOPIC = 8103;
  // The bot's clock: the wait passes by moving it, not by sleeping.
  let clock = new Date('2026-06-10T04:00:00Z');
  beforeAll(async () => {
    app = await createSceneHarness('inq_remind', { adminIds: [ADMIN], delivery, now: () => clock, env: { INQUIRY_REMIND_MINUTES: '30', STAFF_CHAT_LOCALE: 'en' } });
    const { users, access } = app.bot.services;
    await users.makeStaff(COVERS, COVERS, 'ru', ADMIN);
    await access.grant(COVERS, { roles: ['operator'], regions: ['almaty'], topics: ['rehab'] }, ADMIN);
    await users.makeStaff(OTHER_REGION, OTHER_REGION, 'en', ADMIN);
    await access.grant(OTHER_REGION, { roles: ['operator'], regions: ['astana'], topics: null }, ADMIN);
    await users.makeStaff(OTHER_TOPIC, OTHER_TOPIC, 'en', ADMIN);
    await access.grant(OTHER_TOPIC, { roles: ['operator'], regions: null, topics: ['grants'] }, ADMIN);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('goes once, after the wait, only to members whose scope covers its topic and region, in their language; a failed send is tried again', async () => {
    await onboard(app, 6201);
    const ref = await askPerson(app, 6201, 'Is there a swimming pool with a hoist for my son?');
    clock = new Date(clock.getTime() + 29 * 60_000);
    expect(await remindWaiting(app.bot.deps)).toBe(0);
    clock = new Date(clock.getTime() + 2 * 60_000);
    // The queue is away at the first tick: nobody is reminded, and nothing is marked.
    expect(await remindWaiting(app.bot.deps)).toBe(0);
    expect(delivery.jobs.filter((j) => j.text.includes(ref))).toEqual([]);
    expect((await app.bot.services.inquiries.get(ref))?.remindedAt).toBeUndefined();
    expect(await remindWaiting(app.bot.deps)).toBe(1);
    expect(await remindWaiting(app.bot.deps)).toBe(0);
    const reminders = delivery.jobs.filter((j) => j.text.includes(ref));
    expect(reminders.map((j) => j.chatId).sort()).toEqual([ADMIN, COVERS]);
    expect(reminders.find((j) => j.chatId === COVERS)?.text).toContain(`Вопрос ${ref} ждёт ответа`);
    expect(reminders.find((j) => j.chatId === ADMIN)?.text).toContain(`Question ${ref} has been waiting`);
    expect(JSON.stringify(reminders)).not.toContain('swimming pool');
  });
});

describe('Staff → Question figures over a chosen period', () => {
  let app: TestApp;
  const start = new Date('2026-06-10T04:00:00Z');
  let clock = start;
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  beforeAll(async () => {
    app = await createSceneHarness('inq_figures', { adminIds: [ADMIN], redisPrefix: prefix, now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
  });

  const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
  const figures = async (days: string) => {
    await app.tapLike(ADMIN, 'Staff');
    await app.tapLike(ADMIN, 'Question figures');
    await app.tapLike(ADMIN, days);
    return app.drain(ADMIN).join('\n');
  };

  it('counts by topic, region and language, the median first answer, the knowledge base share, misses and step counters', async () => {
    const { inquiries, faq } = app.bot.services;
    // Twenty days ago: one question, in the 30-day figures only.
    clock = new Date(start.getTime() - 20 * 86_400_000);
    await inquiries.create({ userId: 1, chatId: 1, locale: 'en', topic: 'other', text: 'old question', submissionKey: 'old' });
    const asked = [
      { userId: 2, locale: 'ru' as const, topic: 'rehab' as const, region: 'almaty', answerAfter: 10 },
      { userId: 3, locale: 'kk' as const, topic: 'rehab' as const, region: 'astana', answerAfter: 60 },
      { userId: 4, locale: 'en' as const, topic: 'grants' as const, region: 'almaty', answerAfter: 20 },
    ];
    for (const q of asked) {
      clock = start;
      const created = await inquiries.create({ userId: q.userId, chatId: q.userId, locale: q.locale, topic: q.topic, region: q.region, text: 'q', submissionKey: `k${q.userId}` });
      if (created.result !== 'created') throw new Error('not created');
      clock = minutes(q.answerAfter);
      await inquiries.addOperatorMessage(created.ref, ADMIN, { text: 'a', chatId: ADMIN, messageId: q.userId });
    }
    clock = minutes(90);
    // Four look-ups: three found an entry, two of them helped; one found nothing (digits masked).
    for (const [locale, text, helped] of [['en', 'wheelchair', true], ['ru', 'справка об инвалидности', true], ['kk', 'мүгедектік', false], ['en', 'recommend a pizza restaurant 87015550123', false]] as const) {
      const { logId } = await faq.ask(locale, text);
      if (helped) await faq.mark(logId, 'helped');
    }
    // Step counters: today, and 30 days ago (only in the 90-day figures).
    const { countStep } = await import('../../../src/features/inquiries/funnel.js');
    for (const [step, locale, n] of [['region', 'en', 3], ['region', 'ru', 1], ['category', 'en', 2], ['finished', 'en', 1]] as const) {
      for (let i = 0; i < n; i += 1) await countStep(app.redis, prefix, clock, 'rehab-search', step, locale);
    }
    await countStep(app.redis, prefix, new Date(clock.getTime() - 30 * 86_400_000), 'grant-application', 'name', 'kk');

    await onboard(app, ADMIN);
    const week = await figures('7 days');
    expect(week).toContain('Questions in the last 7 days');
    expect(week).toContain('3 questions to a person');
    expect(week).toMatch(/By topic:\n {2}Rehabilitation and disability: 2\n {2}Grants and microloans: 1/);
    expect(week).toMatch(/By language:\n(?: {2}\w+: 1\n){2} {2}\w+: 1/);
    expect(week).toContain('Median time to the first answer: 20 minutes');
    expect(week).toContain('Knowledge base: 4 look-ups, 3 answered, 2 marked helpful. Questions to a person: 3. Share answered by the knowledge base: 40%.');
    expect(week).toContain('recommend a pizza restaurant');
    expect(week).not.toContain('87015550123');
    expect(week).toContain('rehab-search\n  region: en 3, ru 1\n  category: en 2\n  finished: en 1');
    expect(week).not.toContain('grant-application');

    const month = await figures('30 days');
    expect(month).toContain('4 questions to a person');
    expect(month).not.toContain('grant-application');
    const quarter = await figures('90 days');
    expect(quarter).toContain('grant-application\n  name: kk 1');
  });
});
