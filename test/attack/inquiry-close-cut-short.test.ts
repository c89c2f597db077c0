// An operator taps Close on a question's card in the staff group. The question is written closed,
// then the next write fails for a moment (the audit line: the database away), or the process is
// killed before the topic is dealt with. The mailbox runs the tap again: Close found the question
// closed and only queued the person's notice again. The topic stayed open with Take and Close
// under its card, nobody was told in it that the question was closed, and the close was never
// audited; with nobody tapping again, the person was never told either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { forumTopic, groupCallback, messagesInThread } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT } from '../features/inquiries/helpers.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { finishInterruptedCloses } from '../../src/features/inquiries/relay.js';

const OPERATOR = 8301;

describe('attack: Close in the staff group cut short after the question was written closed', () => {
  let app: TestApp;
  let now = new Date('2026-11-20T06:00:00Z');
  beforeAll(async () => {
    app = await createSceneHarness('atk_close_cut_short', {
      adminIds: [OPERATOR],
      now: () => now,
      env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en', MAILBOX_RETRY_BASE_MS: '10', MAILBOX_RETRY_MAX_MS: '20' },
    });
  }, 60_000);
  afterAll(async () => app?.close());

  const delivery = () => app.delivery as RecordingDelivery;
  const closeLines = (ref: string) => auditLogModel(app.mongo).countDocuments({ action: 'inquiry.close', target: `inquiry:${ref}` });
  /** The buttons under the card as it is now (the chat keeps each edit after the message). */
  const cardButtons = (threadId: number) => {
    const thread = messagesInThread(app.api, STAFF_CHAT, threadId);
    const card = thread.filter((m) => m.messageId === thread[0]?.messageId).at(-1);
    return JSON.stringify(card?.replyMarkup ?? null);
  };

  it('the tap run again closes the topic, says so in it, tells the person and audits the close once', async () => {
    const chat = 6301;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi to the clinic?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(cardButtons(threadId)).toContain(`iq:close:${ref}`);

    const { audit } = app.bot.services;
    const record = audit.record.bind(audit);
    let failed = false;
    audit.record = async (...args: Parameters<typeof audit.record>) => {
      if (args[1] === 'inquiry.close' && !failed) {
        failed = true;
        throw new TransientError('database away for a moment');
      }
      return record(...args);
    };
    try {
      await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:close:${ref}`, { enqueue: false }));
    } finally {
      audit.record = record;
    }
    expect(failed).toBe(true);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('closed');
    expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
    expect(cardButtons(threadId)).not.toContain(`iq:close:${ref}`);
    expect(messagesInThread(app.api, STAFF_CHAT, threadId).filter((m) => m.text?.includes('is closed'))).toHaveLength(1);
    expect(delivery().to(chat).filter((j) => j.id === `inq-${ref}-closed`)).toHaveLength(1);
    expect(await closeLines(ref)).toBe(1);
    const toasts = app.api.callsOf('answerCallbackQuery').map((c) => String(c.payload.text ?? ''));
    expect(toasts.at(-1)).toContain('is closed');
  });

  it('a process killed right after the write: the repair pass finishes it, once', async () => {
    const chat = 6302;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the disability decision?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    // The status write of the tap, and nothing after it.
    expect(await app.bot.services.inquiries.close(ref, OPERATOR)).toBe(true);
    // Not yet: the tap may still be finishing it.
    expect(await finishInterruptedCloses(app.bot.deps)).toBe(0);
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await finishInterruptedCloses(app.bot.deps)).toBe(1);
    expect(await finishInterruptedCloses(app.bot.deps)).toBe(0);
    expect(forumTopic(app.api, STAFF_CHAT, threadId)?.closed).toBe(true);
    expect(cardButtons(threadId)).not.toContain(`iq:close:${ref}`);
    const told = delivery().to(chat).filter((j) => j.id === `inq-${ref}-closed`);
    expect(told).toHaveLength(1);
    expect(told[0]?.actedBy?.userId).toBe(OPERATOR);
    expect(await closeLines(ref)).toBe(1);
  });
});
