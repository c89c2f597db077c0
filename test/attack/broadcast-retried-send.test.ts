import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { openCompose } from '../broadcast/helpers.js';

const ADMIN = 8100;
const RECIPIENTS = [8101, 8102, 8103];

// "Send the announcement" records the broadcast, then its audit line, then queues it. When the
// database drops the audit write (or the process stops before the chat's answer is committed),
// the chat's mailbox runs the same update again: that must not make a second broadcast, which
// would give everyone the announcement twice.
describe('attack: a retried "Send the announcement"', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_retried_send', {
      adminIds: [ADMIN],
      env: { MAILBOX_RETRY_BASE_MS: '20', MAILBOX_RETRY_MAX_MS: '50' },
    });
    await onboard(app, ADMIN);
    await app.bot.services.users.setAnnouncements(ADMIN, false);
    for (const chat of RECIPIENTS) await onboard(app, chat);
  }, 60_000);
  afterAll(async () => app?.close());

  async function composeUpToConfirm(text: string): Promise<void> {
    await openCompose(app, ADMIN);
    await app.tapLike(ADMIN, 'English');
    await app.tapLike(ADMIN, 'Done');
    await app.say(ADMIN, text);
    await app.tapLike(ADMIN, 'Everyone');
    await app.tapLike(ADMIN, 'All regions');
    await app.tapLike(ADMIN, 'All languages');
    await app.tapLike(ADMIN, 'Send now');
    app.drain(ADMIN);
  }

  it('makes one broadcast, each person gets it once, and the staff member is told once', async () => {
    await composeUpToConfirm('The centre is closed on Friday.');
    const spy = vi.spyOn(app.bot.services.audit, 'record').mockImplementationOnce(async () => {
      throw new TransientError('database away');
    });
    const since = app.api.calls.length;
    await app.tapLike(ADMIN, 'Send the announcement');
    await app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === ADMIN && String(call.payload.text ?? '').startsWith('Main menu'), 10_000, since);
    spy.mockRestore();

    const broadcasts = await broadcastModel(app.mongo).find({}).lean();
    expect(broadcasts).toHaveLength(1);
    const jobs = (app.delivery as RecordingDelivery).jobs.filter((j) => j.kind === 'broadcast');
    expect(jobs.map((j) => j.chatId).sort()).toEqual([...RECIPIENTS].sort());
    expect(app.drain(ADMIN).filter((t) => t.includes('on its way to 3 people'))).toHaveLength(1);
    expect(await app.bot.services.audit.recent(10, { action: 'broadcast.create' })).toHaveLength(1);
  }, 60_000);

  it('a second announcement written afterwards is its own broadcast', async () => {
    await composeUpToConfirm('The centre opens again on Monday.');
    await app.tapLike(ADMIN, 'Send the announcement');
    expect(await broadcastModel(app.mongo).countDocuments({})).toBe(2);
  }, 60_000);
});
