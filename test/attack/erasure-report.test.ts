// What "Delete my data" tells the person about their staff topics must be true when it is said:
// Telegram not answering at the erasure left the topic in the group while the person read only
// "your data has been deleted"; Russian's "one" plural form (1, 21, 31) spoke of 21 conversations
// as "она"; one grant application was called "Applications G-1". And the daily retry of refused
// deletions, a few per tick, must reach every topic over the days, not the same few.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forumTopic, groupText } from '../support/group-updates.js';
import { onboard, type TestApp } from '../support/app-harness.js';
import { retryErasedTopics } from '../../src/features/inquiries/erased-topics.js';
import { askPerson, SHORT_CHAT_GAP_MS, STAFF_CHAT, startLiveRelay, type LiveRelay } from '../features/inquiries/helpers.js';

const OPERATOR = 7301;
const DAY = 24 * 3600_000;

describe('attack: what "Delete my data" tells the person about their staff topics', () => {
  let relay: LiveRelay;
  let app: TestApp;

  beforeAll(async () => {
    relay = await startLiveRelay('attack_erasure_report', OPERATOR, {}, SHORT_CHAT_GAP_MS);
    app = relay.app;
  });
  afterAll(async () => relay?.close());

  const threadOf = async (ref: string) => (await app.bot.services.inquiries.get(ref))!.threadId!;
  const erasedRecord = (threadId: number) => app.bot.services.inquiries.erasedTopics.byThread({ chatId: STAFF_CHAT, threadId });
  const deletions = (threadId: number) => app.api.callsOf('deleteForumTopic', STAFF_CHAT).filter((c) => c.payload.message_thread_id === threadId);
  const later = (ms: number) => ({ ...app.bot.deps, now: () => new Date(Date.now() + ms) });

  /** Confirms the erasure in the person's language; returns what the bot answered. */
  async function eraseData(chat: number, buttons = ['Delete all my data', 'Yes, delete everything']): Promise<string> {
    await app.command(chat, 'mydata');
    app.drain(chat);
    for (const label of buttons) await app.tapLike(chat, label);
    return app.drain(chat).join('\n');
  }

  it('Telegram away at the deletion: the person is told the conversation is still there and will be deleted, not that everything went', async () => {
    const chat = 5501;
    await onboard(app, chat);
    const threadId = await threadOf(await askPerson(app, chat, 'Who repairs wheelchairs in Kostanay?'));
    app.api.failNext('deleteForumTopic', 502, 'Bad Gateway');
    const told = await eraseData(chat);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeDefined();
    expect(told).toContain('your data has been deleted');
    expect(told).toContain('What the bot could not delete yet:');
    expect(told).toContain('• A conversation with operators in the staff group: Telegram did not answer just now.');
    // Not the refusal's text: it is not closed, and the bot is not (known to be) without the right.
    expect(told).not.toContain('not allowed');
    expect(await retryErasedTopics(app.bot.deps)).toBeGreaterThanOrEqual(1);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
  });

  it('every topic deleted: nothing under "could not delete yet"', async () => {
    const chat = 5502;
    await onboard(app, chat);
    await askPerson(app, chat, 'Is there a swimming pool for children with disabilities?');
    const told = await eraseData(chat);
    expect(told).toContain('your data has been deleted');
    expect(told).not.toContain('could not delete');
  });

  it('in Russian, two conversations the bot may not delete: "2 переписки ... Они закрыты"', async () => {
    const chat = 5503;
    await onboard(app, chat);
    const first = await threadOf(await askPerson(app, chat, 'Where can I get crutches?'));
    // Closed by the operator, so the next question is a question of its own (with its own topic).
    await app.send(groupText(app.api, STAFF_CHAT, first, OPERATOR, '/close', { enqueue: false }));
    const threads = [first, await threadOf(await askPerson(app, chat, 'Who pays for a wheelchair taxi?'))];
    await app.command(chat, 'language');
    await app.tapLike(chat, 'Русский');
    app.api.withholdRight(STAFF_CHAT, 'can_delete_messages');
    let told: string;
    try {
      told = await eraseData(chat, ['Удалить все мои данные', 'Да, удалить всё']);
    } finally {
      app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false);
    }
    for (const threadId of threads) expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
    expect(told).toContain('Что бот пока не смог удалить:');
    expect(told).toContain('• 2 переписки с операторами в группе сотрудников: боту не разрешено удалять там сообщения. Они закрыты');
  });

  it('Russian plurals of the conversations left: 1, 2, 5 and 21', () => {
    const t = app.bot.i18n.t('ru');
    expect(t('inquiries:mydata.topics-not-deleted-single')).toMatch(/^• Переписка .* Она закрыта.* её удалить\.$/);
    expect(t('inquiries:mydata.topics-not-deleted', { count: 2 })).toMatch(/^• 2 переписки .* Они закрыты.* их удалить\.$/);
    expect(t('inquiries:mydata.topics-not-deleted', { count: 5 })).toMatch(/^• 5 переписок .* Они закрыты.* их удалить\.$/);
    // Russian's "one" form, but 21 conversations: "они", not "она".
    expect(t('inquiries:mydata.topics-not-deleted', { count: 21 })).toMatch(/^• 21 переписка .* Они закрыты.* их удалить\.$/);
    expect(t('inquiries:mydata.topics-pending', { count: 21 })).toMatch(/^• 21 переписка .* пока они не будут удалены\.$/);
    expect(t('inquiries:mydata.topics-pending', { count: 5 })).toMatch(/^• 5 переписок /);
    expect(t('inquiries:mydata.topics-pending-single')).toMatch(/^• Переписка .* пока она не будет удалена\.$/);
  });

  it('one grant application kept by law is spoken of in the singular, in every language', () => {
    const refs = 'G-2026-000123';
    expect(app.bot.i18n.t('en')('grant:mydata.kept-single', { refs })).toMatch(/^• Application G-2026-000123: its reference number/);
    expect(app.bot.i18n.t('ru')('grant:mydata.kept-single', { refs })).toMatch(/^• Заявка G-2026-000123: номер/);
    expect(app.bot.i18n.t('kk')('grant:mydata.kept-single', { refs })).toMatch(/^• G-2026-000123 өтініші:/);
    expect(app.bot.i18n.t('en')('grant:mydata.kept', { refs: `${refs}, G-2026-000124` })).toMatch(/^• Applications G-2026-000123, G-2026-000124: their/);
  });

  it('more refused topics than one tick asks for: every one is asked again over the days, none starved', async () => {
    const threads: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const chat = 5510 + i;
      await onboard(app, chat);
      threads.push(await threadOf(await askPerson(app, chat, `Question number ${i} about a ramp at the clinic`)));
    }
    app.api.withholdRight(STAFF_CHAT, 'can_delete_messages');
    try {
      for (let i = 0; i < 8; i += 1) await eraseData(5510 + i);
      for (const threadId of threads) expect(await erasedRecord(threadId)).toMatchObject({ deleteRefused: true, closed: true });
      // Still without the right, a day on: the ticks of that day between them ask every topic once.
      for (let tick = 0; tick < 4; tick += 1) await retryErasedTopics(later(DAY + 60_000 + tick * 60_000));
      for (const threadId of threads) expect(deletions(threadId)).toHaveLength(2);
    } finally {
      app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false);
    }
    // The right granted: the next day's ticks delete them all.
    for (let tick = 0; tick < 4; tick += 1) await retryErasedTopics(later(2 * DAY + 120_000 + tick * 60_000));
    for (const threadId of threads) {
      expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
      expect(await erasedRecord(threadId)).toMatchObject({ deleted: true });
    }
  });

  it('a refused topic an admin deleted by hand: the next try finds it gone and notes it deleted', async () => {
    const chat = 5520;
    await onboard(app, chat);
    const threadId = await threadOf(await askPerson(app, chat, 'Where do I renew a disability pass?'));
    app.api.withholdRight(STAFF_CHAT, 'can_delete_messages');
    try {
      await eraseData(chat);
    } finally {
      app.api.withholdRight(STAFF_CHAT, 'can_delete_messages', false);
    }
    // The admin (who has the right) deletes it in Telegram.
    await app.bot.deps.telegram!.call('deleteForumTopic', { chat_id: STAFF_CHAT, message_thread_id: threadId });
    expect(forumTopic(app.api, STAFF_CHAT, threadId)).toBeUndefined();
    await retryErasedTopics(later(DAY + 60_000));
    expect(await erasedRecord(threadId)).toMatchObject({ deleted: true, closed: true });
    await retryErasedTopics(later(2 * DAY + 120_000));
    expect(await erasedRecord(threadId)).toBeNull();
  });
});
