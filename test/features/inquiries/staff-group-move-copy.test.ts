// Moving the staff group: the conversation so far copied into a question's new topic. A post
// Telegram does not take (429, the network) is not lost: the copy goes on from there at the next
// pass, in order, and nothing is posted twice (a restart, two processes at once, a record write
// that failed). A follow-up written while the new topic is being made is posted by the process
// making it, in its turn. The whole bot, the real queue and worker, Redis, FerretDB and the local
// Bot API with both groups.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { messagesInThread } from '../../support/group-updates.js';
import { onboard } from '../../support/app-harness.js';
import { moveToCurrentGroup } from '../../../src/features/inquiries/staff-group-move.js';
import { afterTopicMade, answeredTwice, askPerson, EARLIER_ANSWER as EARLIER, movingBot, STAFF_CHAT, type LiveRelay } from './helpers.js';

const OPERATOR = 7351;
const OLD = STAFF_CHAT;
const NEW = -1007770002222;

/** A question asked in the former group and answered there, a follow-up, and a second answer. */
const conversation = (relay: LiveRelay, chat: number, about: string) => answeredTwice(relay, OLD, OPERATOR, chat, about);

/** The conversation as the new topic must show it, after the card. */
const inOrder = (about: string) => [
  `Citizen: Where do I get ${about}?`,
  `${EARLIER} First answer about ${about}.`,
  `Citizen: And for a child, ${about} too?`,
  `${EARLIER} Second answer about ${about}.`,
];

/** The new topic's lines after its card, as Telegram shows them. */
async function newTopicLines(relay: LiveRelay, ref: string): Promise<string[]> {
  const record = await relay.app.bot.services.inquiries.get(ref);
  if (record?.staffChatId !== NEW || !record.threadId) return [];
  const lines = messagesInThread(relay.app.api, NEW, record.threadId).map((m) => m.text ?? '');
  expect(lines[0]).toContain(`Question ${ref}`);
  return lines.slice(1);
}

describe('moving the staff group: an earlier answer Telegram refuses while the conversation is copied', () => {
  const bot = movingBot('inq_move_copy_429', OPERATOR);
  afterAll(() => bot.closeAll());
  afterEach(() => vi.restoreAllMocks());

  it('is posted at the next pass, in its place, with what came after it, and once', async () => {
    const first = await bot.start();
    const ref = await conversation(first, 5901, 'a wheelchair');
    await first.stop();

    const relay = await bot.restart(NEW);
    const api = first.app.api;
    // Telegram busy at the first earlier answer: the copy stops there.
    api.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 }, (p) => p.chat_id === NEW && String(p.text).startsWith(`${EARLIER} First answer`));
    expect(await moveToCurrentGroup(relay.app.bot.deps)).toBe(1);
    expect(await newTopicLines(relay, ref)).toEqual(inOrder('a wheelchair').slice(0, 1));
    // The next pass goes on from it.
    await moveToCurrentGroup(relay.app.bot.deps);
    expect(await newTopicLines(relay, ref)).toEqual(inOrder('a wheelchair'));
    expect((await relay.app.bot.services.inquiries.get(ref))?.topicCopy).toBeUndefined();
    // And the person's next words come after it all.
    await relay.app.say(5901, 'Thank you');
    await moveToCurrentGroup(relay.app.bot.deps);
    expect(await newTopicLines(relay, ref)).toEqual([...inOrder('a wheelchair'), 'Citizen: Thank you']);
  });
});

describe('moving the staff group: a copy cut short, resumed by a restart and by two processes at once', () => {
  const bot = movingBot('inq_move_copy_resume', OPERATOR);
  afterAll(() => bot.closeAll());
  afterEach(() => vi.restoreAllMocks());

  it('posts the rest in order and nothing twice, also when noting a post failed', async () => {
    const first = await bot.start();
    const ref = await conversation(first, 5911, 'a hearing aid');
    await first.stop();

    const relay = await bot.restart(NEW);
    const api = first.app.api;
    // The network failing at the person's follow-up: the copy stops before it.
    api.failNext('sendMessage', 502, 'Bad Gateway', undefined, (p) => p.chat_id === NEW && String(p.text).startsWith('Citizen: And for a child'));
    await moveToCurrentGroup(relay.app.bot.deps);
    expect(await newTopicLines(relay, ref)).toEqual(inOrder('a hearing aid').slice(0, 2));
    await relay.stop();

    // Started again, twice at once. One process posts the follow-up, but noting it fails
    // (FerretDB away): it is not posted again by either.
    const [a, b] = [await bot.restart(NEW), await bot.restart(NEW)];
    for (const process of [a, b]) {
      vi.spyOn(process.app.bot.services.inquiries, 'copiedUpTo').mockRejectedValueOnce(new Error('FerretDB is not answering'));
    }
    await Promise.all([moveToCurrentGroup(a.app.bot.deps).catch(() => 0), moveToCurrentGroup(b.app.bot.deps).catch(() => 0)]);
    await Promise.all([moveToCurrentGroup(a.app.bot.deps).catch(() => 0), moveToCurrentGroup(b.app.bot.deps).catch(() => 0)]);
    vi.restoreAllMocks();
    for (let i = 0; i < 2; i++) await Promise.all([moveToCurrentGroup(a.app.bot.deps), moveToCurrentGroup(b.app.bot.deps)]);
    expect(await newTopicLines(a, ref)).toEqual(inOrder('a hearing aid'));
  });
});

describe('moving the staff group: the person writes while the new topic is being made', () => {
  const bot = movingBot('inq_move_copy_follow_up', OPERATOR);
  afterAll(() => bot.closeAll());
  afterEach(() => vi.restoreAllMocks());

  it('the follow-up is posted by the process making the topic, in its turn, before the next one', async () => {
    const first = await bot.start();
    await onboard(first.app, 5921);
    const ref = await askPerson(first.app, 5921, 'Where is the nearest rehabilitation centre?');
    await first.stop();

    const relay = await bot.restart(NEW);
    const deps = relay.app.bot.deps;
    // The person writes after the topic is made and before it is noted: their message finds no
    // topic here yet, and the process making it holds the claim.
    afterTopicMade(deps.telegram!, async (name) => name.startsWith(ref) && relay.app.say(5921, 'Second message: it is for my mother'));
    await moveToCurrentGroup(deps);
    vi.restoreAllMocks();
    const citizenLines = async () => (await newTopicLines(relay, ref)).filter((l) => l.startsWith('Citizen:'));
    // Posted at once, not by the repair pass a minute later.
    expect(await citizenLines()).toEqual(['Citizen: Where is the nearest rehabilitation centre?', 'Citizen: Second message: it is for my mother']);
    await relay.app.say(5921, 'Third message: she is 70');
    expect(await citizenLines()).toEqual([
      'Citizen: Where is the nearest rehabilitation centre?',
      'Citizen: Second message: it is for my mother',
      'Citizen: Third message: she is 70',
    ]);
  });
});
