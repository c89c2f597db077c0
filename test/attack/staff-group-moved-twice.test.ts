// Attack: the staff group moved twice while a moved question's conversation was still being
// copied into its topic in the second group (Telegram answered 429 there). Thread ids are numbered
// per group, so the question's topic in the third group may have the very id it had in the second;
// and a copy into the second group's topic can never go on once the third is configured. The whole
// bot, the real queue and worker, Redis, FerretDB and the local Bot API with the three groups.
import { afterAll, describe, expect, it } from 'vitest';
import { messagesInThread } from '../support/group-updates.js';
import { moveToCurrentGroup } from '../../src/features/inquiries/staff-group-move.js';
import { answeredTwice, EARLIER_ANSWER as EARLIER, movingBot, STAFF_CHAT, type LiveRelay } from '../features/inquiries/helpers.js';

const OPERATOR = 7361;
const FIRST = STAFF_CHAT;
const SECOND = -1006660003333;
const THIRD = -1006660004444;

/** A question asked in the first group and answered there, a follow-up, and a second answer. */
const conversation = (relay: LiveRelay, chat: number, about: string) => answeredTwice(relay, FIRST, OPERATOR, chat, about);

/** Telegram busy (429) at the person's follow-up into the second group: that copy stops there. */
function busyAtFollowUp(relay: LiveRelay, about: string): void {
  relay.app.api.failNext('sendMessage', 429, 'Too Many Requests: retry after 1', { retry_after: 1 }, (p) => p.chat_id === SECOND && String(p.text).startsWith(`Citizen: And for a child, ${about}`));
}

async function topicIn(relay: LiveRelay, ref: string): Promise<{ chat?: number; thread?: number }> {
  const record = await relay.app.bot.services.inquiries.get(ref);
  return { chat: record?.staffChatId ?? undefined, thread: record?.threadId ?? undefined };
}

describe('attack: the staff group moved again while a copy into the second group was cut short', () => {
  const bot = movingBot('atk_move_twice_ids', OPERATOR);
  afterAll(() => bot.closeAll());

  it('the third group\'s topic, with the thread id the second group\'s had, gets the whole conversation', async () => {
    const first = await bot.start();
    const ref = await conversation(first, 5941, 'crutches');
    await first.stop();

    const second = await bot.restart(SECOND);
    busyAtFollowUp(second, 'crutches');
    await moveToCurrentGroup(second.app.bot.deps);
    const inSecond = await topicIn(second, ref);
    expect(inSecond.chat).toBe(SECOND);
    expect((await second.app.bot.services.inquiries.get(ref))?.topicCopy).toBeDefined();
    await second.stop();

    // The second group was the wrong one: staff move on before the copy went on.
    const third = await bot.restart(THIRD);
    for (let pass = 0; pass < 3; pass++) await moveToCurrentGroup(third.app.bot.deps);
    const inThird = await topicIn(third, ref);
    expect(inThird.chat).toBe(THIRD);
    // Both are the first topic made in a new group: the same id.
    expect(inThird.thread).toBe(inSecond.thread);
    const lines = messagesInThread(third.app.api, THIRD, inThird.thread!).map((m) => m.text ?? '');
    expect(lines[0]).toContain(`Question ${ref}`);
    expect(lines.slice(1)).toEqual([
      'Citizen: Where do I get crutches?',
      `${EARLIER} First answer about crutches.`,
      'Citizen: And for a child, crutches too?',
      `${EARLIER} Second answer about crutches.`,
    ]);
  });
});

describe('attack: the staff group moved again while two copies into the second group were cut short', () => {
  const bot = movingBot('atk_move_twice_stuck', OPERATOR);
  afterAll(() => bot.closeAll());

  it('both questions still move to the third group', async () => {
    const first = await bot.start();
    const refs = [await conversation(first, 5951, 'a walker'), await conversation(first, 5952, 'a cane')];
    await first.stop();

    const second = await bot.restart(SECOND);
    busyAtFollowUp(second, 'a walker');
    busyAtFollowUp(second, 'a cane');
    await moveToCurrentGroup(second.app.bot.deps);
    for (const ref of refs) {
      expect((await topicIn(second, ref)).chat).toBe(SECOND);
      expect((await second.app.bot.services.inquiries.get(ref))?.topicCopy).toBeDefined();
    }
    await second.stop();

    const third = await bot.restart(THIRD);
    // Two a pass at most (Telegram's pace in a group): four passes are plenty for two questions.
    for (let pass = 0; pass < 4; pass++) await moveToCurrentGroup(third.app.bot.deps);
    for (const ref of refs) expect((await topicIn(third, ref)).chat).toBe(THIRD);
  });
});
