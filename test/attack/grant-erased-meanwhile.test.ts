import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { deliveryGuards } from '../../src/delivery/bot-worker.js';
import { fillApplication, IIN, NOW, refIn } from '../grant/helpers.js';

const ADMIN = 8200;
const STAFF = 8201;
const APPLICANT = 8202;
const OTHER = 8203;

/** The project's delivery queue interface, with a moment to act in just before a job is queued. */
class QueueWithPause extends RecordingDelivery {
  beforeQueued?: { id: string; run: () => Promise<unknown> };
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    const hook = this.beforeQueued;
    if (hook && jobs.some((j) => j.id === hook.id)) {
      this.beforeQueued = undefined;
      await hook.run();
    }
    await super.enqueue(jobs);
  }
}

// "Delete my data" unlinks the applications from the chat, removes the jobs queued to it and
// deletes the user record. A reviewer's notice rendered just before that, and queued just after
// the queue was cleared, must not reach a person who has deleted their data.
describe('grant: a decision on an application whose applicant deletes their data meanwhile', () => {
  let app: TestApp;
  const delivery = new QueueWithPause();
  beforeAll(async () => {
    app = await createSceneHarness('attack_grant_erased_meanwhile', { now: () => NOW, adminIds: [ADMIN], delivery });
    for (const chat of [STAFF, APPLICANT, OTHER]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
  }, 60_000);
  afterAll(async () => app?.close());

  /** What "Delete my data" does, in its order (scenes/my-data/my-data.ts). */
  async function eraseEverything(chat: number): Promise<void> {
    await app.bot.services.grants.eraseForUser(chat);
    await delivery.forgetChat(chat);
    await app.bot.services.users.erase(chat);
  }

  it('is not sent: the send-time check finds the application no longer linked to the chat', async () => {
    const ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultA }));
    delivery.beforeQueued = { id: `gs-${ref}-1`, run: () => eraseEverything(APPLICANT) };
    expect((await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'approved')).result).toBe('changed');
    const notice = delivery.jobs.find((j) => j.id === `gs-${ref}-1`);
    expect(notice).toBeDefined();
    const guards = deliveryGuards(app.bot.services);
    expect(await guards['grant-status'](notice!)).toBe(false);
    // The decision stands, on the record kept for the state.
    expect((await app.bot.services.grants.get(ref))!.status).toBe('approved');
  }, 60_000);

  it('a notice to an applicant who kept their data still goes', async () => {
    const ref = refIn(await fillApplication(app, OTHER, { iin: IIN.adultB }));
    expect((await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'in-review')).result).toBe('changed');
    const notice = delivery.jobs.find((j) => j.id === `gs-${ref}-1`)!;
    expect(await deliveryGuards(app.bot.services)['grant-status'](notice)).toBe(true);
  }, 60_000);
});
