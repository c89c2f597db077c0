import { forumTopic, groupCallback, groupPhoto, groupText, messagesInThread } from '../../support/group-updates.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onboard, type TestApp } from '../../support/app-harness.js';
import { remindWaiting } from '../../../src/features/inquiries/reminders.js';
import { retryErasedTopics, settleErasedTopic } from '../../../src/features/inquiries/erased-topics.js';
import { askPerson, REMIND_MINUTES, SHORT_CHAT_GAP_MS, sleep, STAFF_CHAT, startLiveRelay, threadText, until, type LiveRelay } from './helpers.js';
import { untilDeliveryIdle } from '../../support/delivery-idle.js';

const OPERATOR = 7001;
const GRANTS_ONLY = 7002;

// Citizens and operators through the whole bot, the real BullMQ queue and delivery worker, and
// the local Bot API server with a forum supergroup as the staff chat.
describe('questions relayed through a staff forum', () => {
  let relay: LiveRelay;
  let app: TestApp;
  const seen = (chat: number, fragment: string) => relay.seen(chat, fragment);

  beforeAll(async () => {
    // A short per-chat gap: voice-relay.test.ts proves the order of answers at the real one.
    relay = await startLiveRelay('inq_forum', OPERATOR, {}, SHORT_CHAT_GAP_MS);
    app = relay.app;
    await app.bot.services.users.makeStaff(GRANTS_ONLY, GRANTS_ONLY, 'en', OPERATOR);
    await app.bot.services.access.grant(GRANTS_ONLY, { roles: ['operator'], regions: null, topics: ['grants'] }, 0);
  });
  afterAll(async () => relay?.close());

  it('a question becomes a topic; messages go both ways in order; closing closes the topic and asks for a rating', async () => {
    const chat = 5101;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'My grandmother cannot walk far, who pays for her taxi to hospital?');
    expect(ref).toMatch(/^Q-\d{4}-\d{6}$/);
    const inquiry = await app.bot.services.inquiries.get(ref);
    const threadId = inquiry!.threadId!;
    expect(app.api.callsOf('createForumTopic')[0]!.payload).toMatchObject({ chat_id: STAFF_CHAT, name: expect.stringContaining(ref) });
    const card = threadText(app, threadId).join('\n');
    expect(card).toContain(`Question ${ref}`);
    expect(card).toMatch(/Region: Almaty/);
    expect(card).toContain('Citizen: My grandmother cannot walk far');

    // Follow-ups join the inquiry: text mirrored, a photo copied into the topic.
    await app.say(chat, 'She lives on the 4th floor');
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    await app.send(app.api.photo(chat, { enqueue: false }));
    expect(threadText(app, threadId)).toContain('Citizen: She lives on the 4th floor');
    const copied = messagesInThread(app.api, STAFF_CHAT, threadId).find((m) => m.method.toLowerCase() === 'copymessage');
    expect(copied?.copiedFrom?.chatId).toBe(chat);

    // The operator answers in the topic: the citizen gets it as "Operator", in the order written.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'First: call 1414.', { enqueue: false }));
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Second: ask the district office.', { enqueue: false }));
    await app.send(groupPhoto(app.api, STAFF_CHAT, threadId, OPERATOR, 'Third: the form', { enqueue: false }));
    await until('three answers', () => seen(chat, 'Third: the form'));
    const answers = app.api.messagesTo(chat).filter((m) => m.text?.startsWith(`Operator, question ${ref}`));
    expect(answers.map((m) => m.text?.split('\n\n')[1])).toEqual(['First: call 1414.', 'Second: ask the district office.', 'Third: the form']);
    expect(answers[2]!.copiedFrom?.chatId).toBe(STAFF_CHAT);
    expect(JSON.stringify(answers)).not.toContain(String(OPERATOR));
    // The header card follows the status.
    const cardNow = () => app.api.visibleMessages(STAFF_CHAT).filter((m) => m.threadId === threadId)[0]!;
    expect(cardNow().text).toContain('Status: answered');
    expect(cardNow().buttons.flat()).toEqual(['Take', 'Close', 'Move to another topic']);
    expect(await app.bot.services.audit.recent(10, { action: 'inquiry.relay' })).toHaveLength(3);

    // Close from the topic's button: topic closed, the citizen rates the answer.
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:close:${ref}`, { enqueue: false }));
    expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
    expect(cardNow().text).toContain('Status: closed');
    expect(cardNow().buttons.flat()).toEqual([]);
    await until('the rating question', () => seen(chat, `Your question ${ref} is closed`));
    await app.tap(chat, '5');
    expect(app.drain(chat).join('\n')).toContain(`Thank you for rating the answer to ${ref}`);
    expect((await app.bot.services.inquiries.get(ref))?.rating).toBe(5);
    // Every relay and status change is in the audit log, texts never.
    const audit = await app.bot.services.audit.recent(50, { target: `inquiry:${ref}` });
    expect(audit.map((a) => a.action).sort()).toEqual([
      'inquiry.citizen-message', 'inquiry.citizen-message', 'inquiry.close', 'inquiry.open', 'inquiry.rate',
      'inquiry.relay', 'inquiry.relay', 'inquiry.relay',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/grandmother|4th floor|1414/);

    // After the close, free text goes to the knowledge base again, not to the closed inquiry.
    await app.say(chat, 'how do I get a wheelchair?');
    expect(app.drain(chat).join('\n')).toContain('individual rehabilitation programme');
  });

  it('an operator whose scope does not cover the topic is refused, and nothing reaches the citizen', async () => {
    const chat = 5102;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is there a rehabilitation centre for my son?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, GRANTS_ONLY, 'I will answer this.', { enqueue: false }));
    expect(threadText(app, threadId).join('\n')).toContain(`You cannot answer question ${ref}`);
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, GRANTS_ONLY, `iq:close:${ref}`, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('open');
    // A staff member who is not staff any more is refused as well.
    await app.bot.services.users.revokeStaff(GRANTS_ONLY);
    await app.send(groupText(app.api, STAFF_CHAT, threadId, GRANTS_ONLY, 'Still me.', { enqueue: false }));
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(chat).some((m) => m.text?.includes('I will answer this') || m.text?.includes('Still me'))).toBe(false);
    expect(await app.bot.services.audit.recent(10, { action: 'inquiry.denied' })).toHaveLength(3);
    // Refused each time, but told in the topic once, not at every message.
    expect(threadText(app, threadId).filter((t) => t.includes(`You cannot answer question ${ref}`))).toHaveLength(1);
  });

  it('a citizen who blocked the bot: the operator is told in the topic', async () => {
    const chat = 5103;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How long does the disability assessment take?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    app.api.blockedChats.add(chat);
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'About a month.', { enqueue: false }));
    await until('the blocked notice', () => threadText(app, threadId).some((t) => t.includes('has blocked the bot')));
    expect((await app.bot.services.inquiries.get(ref))?.citizenBlocked).toBe(true);
    // A further answer is not queued again; the operator is reminded instead.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Are you there?', { enqueue: false }));
    expect(threadText(app, threadId).filter((t) => t.includes('has blocked the bot'))).toHaveLength(2);
  });

  it('the open limit and flood protection are polite and store nothing extra', async () => {
    const chat = 5104;
    await onboard(app, chat);
    // All open questions but the last through the service (the slots are what counts); the last
    // one through the chat, as a person fills it in, so the follow-ups below join it.
    for (let i = 0; i < app.config.INQUIRY_MAX_OPEN - 1; i += 1) {
      const opened = await app.bot.services.inquiries.create({
        userId: chat, chatId: chat, locale: 'en', topic: 'other', text: `Question number ${i + 1} about something`, submissionKey: `limit-test-${i}`,
      });
      expect(opened.result).toBe('created');
    }
    await app.command(chat, 'ask');
    await app.tapLike(chat, 'Something else');
    await app.say(chat, `Question number ${app.config.INQUIRY_MAX_OPEN} about something`);
    await app.tapLike(chat, 'rather not say');
    expect(app.drain(chat).join('\n')).toContain('has been sent');
    await app.command(chat, 'ask');
    expect(app.drain(chat).join('\n')).toContain(`You already have ${app.config.INQUIRY_MAX_OPEN} open questions`);
    expect(await app.bot.services.inquiries.listForUser(chat)).toHaveLength(app.config.INQUIRY_MAX_OPEN);

    for (let i = 0; i < app.config.INQUIRY_FLOOD_PER_MINUTE + 3; i += 1) await app.say(chat, `more ${i}`);
    const texts = app.drain(chat);
    expect(texts.filter((t) => t.includes('Added to your question'))).toHaveLength(app.config.INQUIRY_FLOOD_PER_MINUTE);
    expect(texts.filter((t) => t.includes('very fast'))).toHaveLength(3);
  });

  it('an inquiry waiting too long reminds the operators once, in its topic; an answered one does not', async () => {
    const chat = 5105;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who decides on the social taxi for my mother?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await sleep(Number(REMIND_MINUTES) * 60_000 + 50);
    await remindWaiting(app.bot.deps);
    await remindWaiting(app.bot.deps);
    expect(threadText(app, threadId).filter((t) => t.includes(`Question ${ref} has been waiting`))).toHaveLength(1);
    // The first inquiry of this suite was answered: it is never reminded.
    const first = (await app.bot.services.inquiries.listForUser(5101))[0]!;
    expect(threadText(app, first.threadId!).some((t) => t.includes('has been waiting'))).toBe(false);
  });

  it('Take and Move to another topic: the topic is renamed, the record moves, and operators of the new topic may answer', async () => {
    const chat = 5106;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Can I get a microloan to open a sewing workshop at home?', 'Something else');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    // (Withdrawn in an earlier test; given back here, limited to grants.)
    await app.bot.services.users.makeStaff(GRANTS_ONLY, GRANTS_ONLY, 'en', OPERATOR);
    await app.bot.services.access.grant(GRANTS_ONLY, { roles: ['operator'], regions: null, topics: ['grants'] }, 0);
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:take:${ref}`, { enqueue: false }));
    // The topic names who took it (a tap is seen by nobody else there).
    expect(threadText(app, threadId)).toContain(`Question ${ref} is taken by Test.`);
    expect((await app.bot.services.inquiries.get(ref))?.takenBy).toBe(OPERATOR);

    // The grants-only operator may not answer it under "Something else"...
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, GRANTS_ONLY, `iq:move:${ref}`, { enqueue: false }));
    expect(threadText(app, threadId).some((t) => t.includes(`Move ${ref} to which topic?`))).toBe(false);
    // ...until an operator moves it to Grants and microloans.
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:move:${ref}`, { enqueue: false }));
    const prompt = messagesInThread(app.api, STAFF_CHAT, threadId).find((m) => m.text?.includes(`Move ${ref} to which topic?`));
    expect(prompt?.buttons.flat()).toEqual(['Rehabilitation and disability', 'Volunteering', 'Grants and microloans', 'Something else']);
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:mv:${ref}:2`, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.topic).toBe('grants');
    expect(app.api.callsOf('editForumTopic').at(-1)?.payload).toMatchObject({ message_thread_id: threadId, name: `${ref} · Grants and microloans` });
    expect(threadText(app, threadId)).toContain(`Question ${ref} moved to: Grants and microloans.`);
    const card = app.api.visibleMessages(STAFF_CHAT).filter((m) => m.threadId === threadId)[0]!;
    expect(card.text).toContain('Topic: Grants and microloans');
    await app.send(groupText(app.api, STAFF_CHAT, threadId, GRANTS_ONLY, 'Yes: the Bastau Business programme.', { enqueue: false }));
    await until('the grants operator\'s answer', () => seen(chat, 'Bastau Business'));
    const actions = (await app.bot.services.audit.recent(50, { target: `inquiry:${ref}` })).map((a) => `${a.action}:${a.actorId}`);
    expect(actions).toEqual(expect.arrayContaining([`inquiry.take:${OPERATOR}`, `inquiry.move:${OPERATOR}`, `inquiry.denied:${GRANTS_ONLY}`, `inquiry.relay:${GRANTS_ONLY}`]));
  });

  it('a topic that could not be made at first is made at the next message, with the question, photos and documents sent before', async () => {
    const chat = 5107;
    await onboard(app, chat);
    app.api.failNext('createForumTopic', 500, 'Internal Server Error');
    const ref = await askPerson(app, chat, 'Which documents prove my child needs a special school?');
    expect((await app.bot.services.inquiries.get(ref))?.threadId).toBeUndefined();
    // The question is still in the Staff menu queue meanwhile; the citizen is not told of the failure.
    app.api.failNext('createForumTopic', 500, 'Internal Server Error');
    await app.send(app.api.document(chat, { enqueue: false }));
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    await app.send(app.api.photo(chat, { enqueue: false }));
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(threadId).toBeGreaterThan(0);
    const inThread = messagesInThread(app.api, STAFF_CHAT, threadId);
    expect(inThread.map((m) => m.method.toLowerCase())).toEqual(['sendmessage', 'sendmessage', 'copymessage', 'copymessage']);
    expect(inThread[1]!.text).toBe('Citizen: Which documents prove my child needs a special school?');
    expect(inThread.slice(2).every((m) => m.copiedFrom?.chatId === chat)).toBe(true);
    expect(app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!).map((m) => m.media ?? 'text')).toEqual(['text', 'document', 'photo']);
  });

  it('on the local Bot API: a question during a form is answered and the step asked again; My data lists the questions and deletes them', async () => {
    const chat = 5108;
    await onboard(app, chat);
    await app.command(chat, 'ask');
    app.drain(chat);
    await app.say(chat, 'how long does the disability assessment take?');
    const texts = app.drain(chat);
    expect(texts[0]).toMatch(/assessment/i);
    expect(texts.at(-1)).toContain('What is your question about?');
    await app.tapLike(chat, 'Volunteering');
    await app.say(chat, 'At what age can my daughter volunteer at the games?');
    await app.tapLike(chat, 'Almaty (city)');
    const ref = app.drain(chat).join('\n').match(/Q-\d{4}-\d{6}/)?.[0];
    expect(ref).toBeDefined();
    const threadId = (await app.bot.services.inquiries.get(ref!))!.threadId!;
    await app.command(chat, 'mydata');
    expect(app.drain(chat).join('\n')).toContain(`Question ${ref} (Volunteering, waiting for an answer): 1 message`);
    await app.tapLike(chat, 'Delete all my data');
    await app.tapLike(chat, 'Yes, delete everything');
    expect(await app.bot.services.inquiries.listForUser(chat)).toEqual([]);
    expect(app.drain(chat).join('\n')).not.toContain('could not delete');
    // The topic is deleted with the question; an operator's late answer in it reaches nobody.
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    expect(app.api.visibleMessages(STAFF_CHAT).filter((m) => m.threadId === threadId)).toEqual([]);
    const sentBefore = app.api.messagesTo(chat).length;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'From 14, with a parent\'s consent.', { enqueue: false }));
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(chat)).toHaveLength(sentBefore);
  });
  // A group where the bot may not delete messages: the topic of an erased question is told and closed instead.
  describe('without the right to delete messages', () => {
    beforeAll(() => app.api.withholdRight(STAFF_CHAT, 'can_delete_messages'));
    afterAll(() => app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false));

    /** Asks a question, then deletes the person's data while Telegram fails to close the topic. */
    async function erasedWithTelegramDown(chat: number, question: string): Promise<{ ref: string; threadId: number }> {
      await onboard(app, chat);
      const ref = await askPerson(app, chat, question);
      const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
      app.api.failNext('closeForumTopic', 502, 'Bad Gateway');
      await app.command(chat, 'mydata');
      await app.tapLike(chat, 'Delete all my data');
      await app.tapLike(chat, 'Yes, delete everything');
      expect(await app.bot.services.inquiries.listForUser(chat)).toEqual([]);
      // The person is told their words stay in the group for now, not that everything went.
      const said = app.drain(chat).join('\n');
      expect(said).toContain('What the bot could not delete yet:');
      // Refused, but not closed yet: not "It is closed", which would not be true yet.
      expect(said).toContain('A conversation with operators in the staff group: Telegram did not answer just now.');
      expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).not.toBe(true);
      expect(await app.bot.services.inquiries.erasedTopics.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ ref, told: true, closed: false });
      return { ref, threadId };
    }

    it('"Delete my data" while Telegram cannot close the topic: a reply there is told it reached nobody, and the topic is closed then', async () => {
      const chat = 5120;
      const { ref, threadId } = await erasedWithTelegramDown(chat, 'Where can my father get a wheelchair?');
      const sentBefore = app.api.messagesTo(chat).length;
      await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'At the social office on Abay street.', { enqueue: false }));
      expect(threadText(app, threadId)).toContain(`The person who asked ${ref} deleted their data, so this message was not sent to anyone. The question is gone.`);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
      expect(await app.bot.services.inquiries.erasedTopics.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ closed: true });
      // The "deleted their data" line was posted once, at the deletion.
      expect(threadText(app, threadId).filter((line) => line.includes('deleted their data: the question is gone'))).toHaveLength(1);
      // Writing on in the dead topic is not answered line by line.
      await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Or call 1414.', { enqueue: false }));
      await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Hello?', { enqueue: false }));
      expect(threadText(app, threadId).filter((line) => line.includes('so this message was not sent to anyone'))).toHaveLength(1);
      await untilDeliveryIdle(app.config);
      expect(app.api.messagesTo(chat)).toHaveLength(sentBefore);
    });

    /** A question whose topic is recorded as erased (told: false), as "delete my data" leaves it. */
    async function erasedTopic(chat: number, question: string) {
      await onboard(app, chat);
      const ref = await askPerson(app, chat, question);
      const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
      const erased = app.bot.services.inquiries.erasedTopics;
      await erased.record([{ chatId: STAFF_CHAT, threadId, ref }]);
      return { ref, threadId, erased };
    }

    it("two processes settling a deleted question's topic at once post its line once", async () => {
      const { threadId, erased } = await erasedTopic(5122, 'Is there a sign language course in Shymkent?');
      const topic = (await erased.byThread({ chatId: STAFF_CHAT, threadId }))!;
      const settled = await Promise.all([settleErasedTopic(app.bot.deps, topic), settleErasedTopic(app.bot.deps, topic)]);
      expect(threadText(app, threadId).filter((line) => line.includes('deleted their data: the question is gone'))).toHaveLength(1);
      // The other left the line to the holder of the claim: it waited for a later tick, or, when it
      // came after the line was posted (a busy machine), closed the topic too, which is harmless.
      expect(settled.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(await erased.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ told: true, closed: true });
    });

    it('a "deleted" line Telegram refused to take is posted by the next tick, not only when the claim lapses', async () => {
      const { threadId, erased } = await erasedTopic(5123, 'Where is the nearest rehabilitation centre?');
      app.api.failNext('sendMessage', 502, 'Bad Gateway');
      expect(await settleErasedTopic(app.bot.deps, (await erased.byThread({ chatId: STAFF_CHAT, threadId }))!)).toBe(false);
      expect(await erased.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ told: false, closed: false });
      expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
      expect(threadText(app, threadId).filter((line) => line.includes('deleted their data: the question is gone'))).toHaveLength(1);
      expect(await erased.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ told: true, closed: true });
    });

    it('a "deleted" line posted by a process that died (or lost FerretDB) before noting it is not posted again once the claim lapses', async () => {
      const { threadId, erased } = await erasedTopic(5124, 'Who repairs hearing aids in Taraz?');
      // Telegram refused the deletion before: the next write noted is the line's.
      await erased.markRefused({ chatId: STAFF_CHAT, threadId }, new Date(Date.now() + 24 * 3600_000));
      // Telegram took the line; the write that notes it failed (FerretDB stopped, or the process killed).
      const mark = vi.spyOn(erased, 'mark').mockRejectedValueOnce(new Error('FerretDB is not answering'));
      await expect(settleErasedTopic(app.bot.deps, (await erased.byThread({ chatId: STAFF_CHAT, threadId }))!)).rejects.toThrow('FerretDB');
      mark.mockRestore();
      expect(await erased.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ told: false, closed: false });
      // Minutes later the five-minute claim has lapsed, and the reminder tick takes the topic again.
      for (const key of await app.redis.keys(`*inq:erased-telling:${STAFF_CHAT}:${threadId}`)) {
        // Five minutes pass: what Redis keeps no longer than that is gone.
        if ((await app.redis.pttl(key)) <= 5 * 60_000) await app.redis.pexpire(key, 1);
      }
      await sleep(20);
      expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
      expect(threadText(app, threadId).filter((line) => line.includes('deleted their data: the question is gone'))).toHaveLength(1);
      expect(await erased.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ told: true, closed: true });
    });

    it('the reminder tick closes a topic that Telegram could not close when the person deleted their data', async () => {
      const { threadId } = await erasedWithTelegramDown(5121, 'How do I apply for a sign language interpreter?');
      expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
      expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
      expect(await app.bot.services.inquiries.erasedTopics.byThread({ chatId: STAFF_CHAT, threadId })).toMatchObject({ closed: true });
      expect(await retryErasedTopics(app.bot.deps)).toBe(0);
    });
  });
});
