import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, createTestApp, onboard, RecordingDelivery, type TestApp } from '../../support/app-harness.js';
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

    // Operator turns the answered inquiry into a knowledge base entry in one step.
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Make a knowledge base entry');
    expect(app.drain(OPERATOR).join('\n')).toContain(`Entry ${ref.toLowerCase()} added`);
    expect((await app.bot.services.faq.all()).some((e) => e.id === ref.toLowerCase() && e.sample)).toBe(true);

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
