import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { remindWaiting } from '../../src/features/inquiries/reminders.js';
import { askPerson, sleep } from '../features/inquiries/helpers.js';

const ADMIN = 8300;
const ASKER = 8301;

/** The project's own delivery interface; while `stalled`, a send never returns, as in a process SIGKILLed mid-send. */
class StallingDelivery extends RecordingDelivery {
  stalled = false;
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.stalled) return new Promise<void>(() => undefined);
    await super.enqueue(jobs);
  }
}

// The operators' reminder of a question waiting too long is claimed in Redis so that several bot
// processes send it once. A process killed after the claim and before the send must not leave
// that question without a reminder for the claim's whole life (it was 30 days).
describe('the operators’ reminder claimed by a process that dies before sending it', () => {
  let app: TestApp;
  const delivery = new StallingDelivery();
  beforeAll(async () => {
    app = await createSceneHarness('attack_remind_kill', { adminIds: [ADMIN], delivery, env: { INQUIRY_REMIND_MINUTES: '0.01', STAFF_CHAT_LOCALE: 'en' } });
  });
  afterAll(async () => app?.close());

  it('is sent by the next tick within minutes, then once', async () => {
    await onboard(app, ASKER);
    const ref = await askPerson(app, ASKER, 'Is there a swimming pool with a hoist for my son?');
    await sleep(800);
    const claim = `${app.config.REDIS_PREFIX}:inq:reminded:${ref}`;
    delivery.stalled = true;
    void remindWaiting(app.bot.deps);
    for (let i = 0; i < 100 && (await app.redis.exists(claim)) === 0; i++) await sleep(20);
    // The dying process's claim lasts minutes, not the month that keeps a sent reminder to once.
    const left = await app.redis.pttl(claim);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(5 * 60_000);

    // Those minutes pass (Redis expires the key); another process's tick sends it.
    await app.redis.pexpire(claim, 1);
    await sleep(20);
    delivery.stalled = false;
    expect(await remindWaiting(app.bot.deps)).toBe(1);
    expect(delivery.jobs.filter((j) => j.text.includes(ref)).map((j) => j.chatId)).toEqual([ADMIN]);
    // Sent: the claim now keeps it to once.
    expect(await app.redis.pttl(claim)).toBeGreaterThan(24 * 3600_000);
    expect(await remindWaiting(app.bot.deps)).toBe(0);
  });
});
