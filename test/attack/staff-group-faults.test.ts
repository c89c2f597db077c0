import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupText } from '../support/group-updates.js';
import { onboard, type TestApp } from '../support/app-harness.js';
import { DELIVERY_QUEUE_NAME } from '../../src/delivery/keys.js';
import { remindWaiting } from '../../src/features/inquiries/reminders.js';
import { askPerson, REMIND_MINUTES, sleep, STAFF_CHAT, startLiveRelay, threadText, until, type LiveRelay } from '../features/inquiries/helpers.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';

const OPERATOR = 7101;

// The staff group and the citizen's chat misbehaving under a live relay: a citizen who blocked
// the bot and came back, a topic an admin deleted, a group the bot cannot post in any more.
describe('the staff group and the citizen misbehaving', () => {
  let relay: LiveRelay;
  let app: TestApp;
  const seen = (chat: number, fragment: string) => relay.seen(chat, fragment);

  beforeAll(async () => {
    relay = await startLiveRelay('inq_faults', OPERATOR);
    app = relay.app;
  });
  afterAll(async () => relay?.close());

  it('a citizen who blocked the bot and came back gets the operators\' answers again', async () => {
    const chat = 5201;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where do I renew the disability certificate?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    app.api.blockedChats.add(chat);
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'At the district office.', { enqueue: false }));
    await until('the blocked notice', () => threadText(app, threadId).some((t) => t.includes('has blocked the bot')));
    // The person unblocks the bot and writes again: the follow-up reaches the topic...
    app.api.blockedChats.delete(chat);
    await app.say(chat, 'Sorry, I blocked you by mistake. Which office?');
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    expect(threadText(app, threadId)).toContain('Citizen: Sorry, I blocked you by mistake. Which office?');
    // ...and the operator's answer to it reaches the person, not "has blocked the bot" again.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'The one on Abay street.', { enqueue: false }));
    await until('the answer after the unblock', () => seen(chat, 'The one on Abay street.'));
    expect(threadText(app, threadId).filter((t) => t.includes('has blocked the bot'))).toHaveLength(1);
  });

  it('a topic deleted by an admin: the next follow-up makes a new topic with the question, and answers there reach the person', async () => {
    const chat = 5202;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Can my son get a place in a day-care centre?');
    const oldThread = (await app.bot.services.inquiries.get(ref))!.threadId!;
    app.api.deleteTopic(STAFF_CHAT, oldThread);
    await app.say(chat, 'He is 9 years old.');
    expect(app.drain(chat).join('\n')).toContain(`Added to your question ${ref}`);
    const newThread = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(newThread).not.toBe(oldThread);
    const topic = threadText(app, newThread).join('\n');
    expect(topic).toContain(`Question ${ref}`);
    expect(topic).toContain('Citizen: Can my son get a place in a day-care centre?');
    expect(topic).toContain('Citizen: He is 9 years old.');
    await app.send(groupText(app.api, STAFF_CHAT, newThread, OPERATOR, 'Yes, from the age of 3.', { enqueue: false }));
    await until('the answer from the new topic', () => seen(chat, 'Yes, from the age of 3.'));
  });

  it('another refusal of a post (a 400 that is not a deleted topic) keeps the question in its topic', async () => {
    const chat = 5209;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is the rehabilitation centre open on Saturdays?');
    const thread = (await app.bot.services.inquiries.get(ref))!.threadId!;
    app.api.failNext('sendMessage', 400, 'Bad Request: not enough rights to send text messages to the chat');
    await app.say(chat, 'I mean the one in Kostanay.').catch(() => undefined);
    // Not "topic gone": no second topic, so what operators type in this one still reaches the person.
    expect((await app.bot.services.inquiries.get(ref))!.threadId).toBe(thread);
    await app.send(groupText(app.api, STAFF_CHAT, thread, OPERATOR, 'Yes, until 14:00.', { enqueue: false }));
    await until('the answer from the same topic', () => seen(chat, 'Yes, until 14:00.'));
  });

  it('a topic deleted before the reminder: the operators are still reminded, in a new topic', async () => {
    const chat = 5203;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for a wheelchair repair?');
    const oldThread = (await app.bot.services.inquiries.get(ref))!.threadId!;
    app.api.deleteTopic(STAFF_CHAT, oldThread);
    await sleep(Number(REMIND_MINUTES) * 60_000 + 50);
    await remindWaiting(app.bot.deps);
    await remindWaiting(app.bot.deps);
    const newThread = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(newThread).not.toBe(oldThread);
    expect(threadText(app, newThread).filter((t) => t.includes(`Question ${ref} has been waiting`))).toHaveLength(1);
    expect(threadText(app, newThread)).toContain('Citizen: Who pays for a wheelchair repair?');
  });

  it('an operator who edits an answer already sent is told in the topic that the edit did not reach the person', async () => {
    const chat = 5205;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'What number do I call for the social taxi?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const answer = groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Call 1409.', { enqueue: false });
    await app.send(answer);
    await until('the answer', () => seen(chat, 'Call 1409.'));
    const original = answer.message as { message_id: number; date: number };
    const edit = (text: string, n: number) =>
      app.send(app.api.push({ edited_message: { ...original, text, edit_date: original.date + n } }, { enqueue: false }));
    await edit('Call 1414.', 1);
    await edit('Call 1414, then press 2.', 2);
    const told = threadText(app, threadId).filter((t) => t.includes(`did not reach the person`));
    expect(told).toEqual([`Your edit of an answer to ${ref} did not reach the person: they already have the first version. Send the correction as a new message.`]);
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(chat).some((m) => m.text?.includes('Call 1414'))).toBe(false);
    // The correction sent as a new message reaches the person.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Correction: call 1414.', { enqueue: false }));
    await until('the correction', () => seen(chat, 'Correction: call 1414.'));
  });

  it('Take or Move on a question already closed changes nothing and says it is closed', async () => {
    const chat = 5206;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is there a sign language interpreter at the centre?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, '/close', { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('closed');
    // Admins can still write in a closed topic, and an old card's buttons may still be tapped.
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, '/take', { enqueue: false }));
    await app.send(app.api.callback(STAFF_CHAT, `iq:mv:${ref}:2`, undefined, { enqueue: false, userId: OPERATOR, threadId }));
    const after = (await app.bot.services.inquiries.get(ref))!;
    expect(after.takenBy).toBeUndefined();
    expect(after.topic).toBe('rehab');
    expect(threadText(app, threadId).some((t) => t.includes('is taken'))).toBe(false);
    expect(threadText(app, threadId).some((t) => t.includes('moved'))).toBe(false);
    expect(threadText(app, threadId).filter((t) => t.includes(`Question ${ref} is already closed`)).length).toBeGreaterThanOrEqual(1);
  });

  it('"Delete my data" also removes the operators\' answers the delivery queue still keeps', async () => {
    const chat = 5207;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is my application for the allowance registered?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const answer = groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Yes: IIN 900101300123, Aigerim Sarsenova, registered on 3 March.', { enqueue: false });
    await app.send(answer);
    await until('the answer', () => seen(chat, 'Aigerim Sarsenova'));
    await untilDeliveryIdle(app.config);
    const jobKey = `${app.config.REDIS_PREFIX}:${DELIVERY_QUEUE_NAME}:inq-${ref}-s${-STAFF_CHAT}-${(answer.message as { message_id: number }).message_id}`;
    expect(await app.redis.exists(jobKey)).toBe(1);
    await app.command(chat, 'mydata');
    await app.tapLike(chat, 'Delete all my data');
    await app.tapLike(chat, 'Yes, delete everything');
    expect(await app.redis.exists(jobKey)).toBe(0);
    const jobs = await app.redis.keys(`${app.config.REDIS_PREFIX}:${DELIVERY_QUEUE_NAME}:inq-${ref}-*`);
    expect(jobs).toEqual([]);
  });

  it('a group the bot can no longer post in: the reminder reaches the operators in private instead of being retried for ever', async () => {
    const chat = 5204;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the assessment decision?');
    app.api.blockedChats.add(STAFF_CHAT);
    try {
      await sleep(Number(REMIND_MINUTES) * 60_000 + 50);
      expect(await remindWaiting(app.bot.deps)).toBeGreaterThanOrEqual(1);
      await untilDeliveryIdle(app.config);
      expect(app.api.messagesTo(OPERATOR).filter((m) => m.text?.includes(`Question ${ref} has been waiting`))).toHaveLength(1);
      await remindWaiting(app.bot.deps);
      await untilDeliveryIdle(app.config);
      expect(app.api.messagesTo(OPERATOR).filter((m) => m.text?.includes(`Question ${ref} has been waiting`))).toHaveLength(1);
    } finally {
      app.api.blockedChats.delete(STAFF_CHAT);
    }
  });
});
