// A broadcaster taps Cancel under a scheduled announcement while Redis (the delivery queue) is
// away for a moment: the broadcast is marked cancelled, then removing its queued jobs fails. The
// mailbox runs the tap again, which found the broadcast cancelled and answered "This announcement
// has already finished or was cancelled": the cancellation was never audited, the broadcaster was
// not shown the final figures, and a process killed at that point left the same, for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { userModel } from '../../src/db/models/user.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { broadcastCallbacks } from '../../src/features/broadcast/callbacks.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { until } from '../support/until.js';

const CASTER = 8700;

/** The project's delivery queue interface, whose Redis is away for the next removal of a broadcast's jobs; while `stalled`, removing never returns (a process SIGKILLed there). */
class RemovalAwayOnce extends RecordingDelivery {
  away = false;
  stalled = false;
  removals = 0;
  async cancelBroadcast(): Promise<number> {
    if (this.stalled) return new Promise<number>(() => undefined);
    if (this.away) {
      this.away = false;
      throw new TransientError('queue unreachable');
    }
    this.removals += 1;
    return 0;
  }
}

describe('an announcement cancelled while the delivery queue is away for a moment', () => {
  let app: TestApp;
  const delivery = new RemovalAwayOnce();
  let now = new Date('2026-11-20T06:00:00Z');
  const schedule = async (text: string) =>
    (
      await app.bot.services.broadcasts.create({
        createdBy: CASTER,
        staffChatId: CASTER,
        staffLocale: 'en',
        texts: { en: text },
        fallback: 'en',
        audience: { group: 'all' },
        sendAt: new Date(now.getTime() + 3_600_000),
      })
    ).id;
  const cancelLines = (id: string) => auditLogModel(app.mongo).countDocuments({ action: 'broadcast.cancel', target: `broadcast:${id}` });

  beforeAll(async () => {
    app = await createSceneHarness('attack_broadcast_cancel_retry', { adminIds: [CASTER], delivery, now: () => now });
    await onboard(app, CASTER);
    await userModel(app.mongo).create({ telegramId: 8750, chatId: 8750, locale: 'en', region: 'astana' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('the tap run again finishes the cancellation: audited once, the broadcaster told it is cancelled', async () => {
    const id = await schedule('The centre is closed tomorrow.');
    delivery.away = true;
    const before = app.api.callsOf('answerCallbackQuery').length;
    await app.send(app.api.callback(CASTER, broadcastCallbacks.encode.cancel({ broadcastId: id }), undefined, { enqueue: false }));
    const toasts = app.api.callsOf('answerCallbackQuery').slice(before).map((c) => String(c.payload.text ?? ''));
    expect((await broadcastModel(app.mongo).findById(id).lean())?.status).toBe('cancelled');
    expect(toasts.at(-1)).toBe('Sending is cancelled.');
    expect(delivery.removals).toBe(1);
    expect(await cancelLines(id)).toBe(1);
  }, 60_000);

  it('a process killed after marking it cancelled: the repair pass removes its jobs and audits it, once', async () => {
    const id = await schedule('The hotline is closed on Monday.');
    delivery.stalled = true;
    void app.bot.services.broadcasts.cancel(id, CASTER);
    await until('the broadcast is marked cancelled', async () => (await broadcastModel(app.mongo).findById(id).lean())?.status === 'cancelled');
    delivery.stalled = false;
    const removals = delivery.removals;
    // Not yet: the cancellation may still be finishing in its own process.
    expect(await app.bot.services.broadcasts.finishCancellations()).toBe(0);
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await app.bot.services.broadcasts.finishCancellations()).toBe(1);
    expect(delivery.removals).toBe(removals + 1);
    expect(await cancelLines(id)).toBe(1);
    expect(await app.bot.services.broadcasts.finishCancellations()).toBe(0);
  }, 60_000);
});
