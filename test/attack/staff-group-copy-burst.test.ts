// Attack: while a moved question's conversation is still being copied into its new topic
// (Telegram answered 429 at an earlier answer), an operator answers in the new topic (a message
// id the former group's answer had: each group numbers from 1) and the person sends a burst of
// follow-ups; and another person deletes their data mid-copy. The whole
// bot, the real queue and worker, Redis, FerretDB and the local Bot API with both groups.
import { afterAll, describe, expect, it } from 'vitest';
import { groupText, messagesInThread } from '../support/group-updates.js';
import { onboard } from '../support/app-harness.js';
import { moveToCurrentGroup } from '../../src/features/inquiries/staff-group-move.js';
import { retryTopicMirrors } from '../../src/features/inquiries/topic-mirror.js';
import type { Update } from '../../src/platform/bot-api/types.js';
import { askPerson, EARLIER_ANSWER as EARLIER, eraseMyData, movingBot, STAFF_CHAT, until, type LiveRelay } from '../features/inquiries/helpers.js';

const OPERATOR = 7371;
const OLD = STAFF_CHAT;
const NEW = -1006670005555;

const messageIdOf = (update: Update) => (update.message as { message_id: number }).message_id;

/** A question asked and answered in the former group; the answer's message id there with it. */
async function answered(relay: LiveRelay, chat: number, about: string): Promise<{ ref: string; answerId: number }> {
  const { app } = relay;
  await onboard(app, chat);
  const ref = await askPerson(app, chat, `Where do I get ${about}?`);
  const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
  const answer = groupText(app.api, OLD, threadId, OPERATOR, `First answer about ${about}.`, { enqueue: false });
  await app.send(answer);
  await until('the first answer', () => relay.seen(chat, `First answer about ${about}`));
  return { ref, answerId: messageIdOf(answer) };
}

describe('attack: an operator answer and a burst of follow-ups while the copy is cut short', () => {
  const bot = movingBot('atk_copy_burst', OPERATOR);
  afterAll(() => bot.closeAll());

  it('the answer reaches the person though its message id is the former group\'s answer\'s; the topic shows the burst after what came before, each once', async () => {
    const first = await bot.start();
    const { ref, answerId } = await answered(first, 5961, 'a ramp');
    await first.stop();

    const relay = await bot.restart(NEW);
    const { app } = relay;
    app.api.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 }, (p) => p.chat_id === NEW && String(p.text).startsWith(`${EARLIER} First answer`));
    await moveToCurrentGroup(app.bot.deps);
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    // An operator here answers from the card alone, then the person writes three times at once.
    const answer = groupText(app.api, NEW, threadId, OPERATOR, 'Answer written in the new group.', { enqueue: false });
    // Each group numbers its messages from 1: the answer here has the id the one there had.
    expect(messageIdOf(answer)).toBe(answerId);
    await app.send(answer);
    await Promise.all([app.say(5961, 'Burst one'), app.say(5961, 'Burst two'), app.say(5961, 'Burst three')]);
    await moveToCurrentGroup(app.bot.deps);
    await retryTopicMirrors(app.bot.deps, new Date(Date.now() + 120_000));
    const lines = messagesInThread(app.api, NEW, threadId).map((m) => m.text ?? '').slice(1);
    expect(lines.slice(0, 2)).toEqual(['Citizen: Where do I get a ramp?', `${EARLIER} First answer about a ramp.`]);
    // The burst after what came before, each once; the answer written here is not copied as an earlier one.
    expect(lines.slice(2).sort()).toEqual(['Citizen: Burst one', 'Citizen: Burst three', 'Citizen: Burst two']);
    // The operator's answer from the new topic reached the person while the copy was cut short.
    await until('the answer from the new group', () => relay.seen(5961, 'Answer written in the new group'));
    expect((await app.bot.services.inquiries.get(ref))?.topicCopy).toBeUndefined();
  });

});

describe('attack: a person deleting their data while the copy is cut short', () => {
  const bot = movingBot('atk_copy_erase', OPERATOR);
  afterAll(() => bot.closeAll());

  it('the copy stops, and nothing of theirs is posted after', async () => {
    const first = await bot.start();
    const { ref } = await answered(first, 5962, 'a hoist');
    await first.stop();
    const relay = await bot.restart(NEW);
    const { app } = relay;
    app.api.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 }, (p) => p.chat_id === NEW && String(p.text).startsWith(`${EARLIER} First answer about a hoist`));
    await moveToCurrentGroup(app.bot.deps);
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await eraseMyData(app, 5962);
    const before = messagesInThread(app.api, NEW, threadId).length;
    for (let pass = 0; pass < 2; pass++) await moveToCurrentGroup(app.bot.deps);
    const after = messagesInThread(app.api, NEW, threadId).map((m) => m.text ?? '');
    expect(after.slice(before).filter((l) => l.includes('hoist'))).toEqual([]);
  });
});
