import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { fillApplication, IIN, makeIin, NOW, refIn } from '../grant/helpers.js';

const ADMIN = 7800;
const ROGUE = 7801;
const SECOND = 7802;
const APPLICANT = 7803;
const OTHER_APPLICANT = 7804;
const THIRD = 7805;
const FOURTH_APPLICANT = 7806;
const FIFTH_APPLICANT = 7807;
const SIXTH_APPLICANT = 7808;

/**
 * The project's own delivery queue interface, whose queue (Redis) is away for the next enqueue,
 * or which lets something happen right after a given job is queued.
 */
class QueueAwayOnce extends RecordingDelivery {
  away = false;
  afterQueued?: { id: string; run: () => Promise<unknown> };
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.away) {
      this.away = false;
      throw new Error('queue unreachable');
    }
    await super.enqueue(jobs);
    const hook = this.afterQueued;
    if (hook && jobs.some((j) => j.id === hook.id)) {
      this.afterQueued = undefined;
      await hook.run();
    }
  }
}

// Another reviewer confirms a decision whose notice was withheld. If the queue is unreachable at
// that moment the confirmation fails, and the mailbox runs it again: the applicant must still be
// told. Clearing the mark first and queueing after left nothing to confirm on the retry, and the
// applicant was never told of a decision shown to them as told.
describe('a withheld decision confirmed while the delivery queue is away', () => {
  let app: TestApp;
  const delivery = new QueueAwayOnce();
  let clock = NOW;
  beforeAll(async () => {
    app = await createSceneHarness('attack_confirm_outage', { now: () => clock, adminIds: [ADMIN], delivery });
    for (const chat of [ROGUE, SECOND, THIRD, APPLICANT, OTHER_APPLICANT, FOURTH_APPLICANT, FIFTH_APPLICANT, SIXTH_APPLICANT]) await onboard(app, chat);
    for (const id of [ROGUE, SECOND, THIRD]) await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
  }, 60_000);
  afterAll(async () => app?.close());

  it('is confirmed on the retry and the notice is queued once', async () => {
    const ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultA }));
    expect((await app.bot.services.grants.changeStatus(ROGUE, ref, 'submitted', 'in-review')).result).toBe('changed');
    // The delivery worker withheld the notice (ROGUE revoked before the send) and marked it.
    await app.bot.services.grants.markForConfirmation(ref, 1, ROGUE);
    const mark = new Date((await app.bot.services.grants.get(ref))!.confirmation!.at!).getTime();

    delivery.away = true;
    await expect(app.bot.services.grants.confirmDecision(SECOND, ref, 2)).rejects.toThrow('queue unreachable');
    // Not told yet, so still waiting for a confirmation, and the applicant still sees the status before it.
    expect((await app.bot.services.grants.get(ref))?.confirmation).toBeDefined();
    expect((await app.bot.services.grants.getForUser(APPLICANT, ref))?.status).toBe('submitted');

    expect(await app.bot.services.grants.confirmDecision(SECOND, ref, 2)).toMatchObject({ result: 'confirmed' });
    expect(delivery.jobs.filter((j) => j.id === `gs-${ref}-1-c${mark}`)).toHaveLength(1);
    expect((await app.bot.services.grants.get(ref))?.confirmation).toBeUndefined();
    expect((await app.bot.services.grants.getForUser(APPLICANT, ref))?.status).toBe('in-review');
    // The first notice's job, withheld and retried late (after the confirmation): the decision the
    // applicant was told stays shown, and nothing waits for a confirmation again.
    await app.bot.services.grants.markForConfirmation(ref, 1, ROGUE);
    expect((await app.bot.services.grants.get(ref))?.confirmation).toBeUndefined();
    expect((await app.bot.services.grants.getForUser(APPLICANT, ref))?.status).toBe('in-review');
  }, 60_000);

  it('a change made by another reviewer while the confirmation is half-way wins: the confirmation notice is taken back', async () => {
    const ref = refIn(await fillApplication(app, OTHER_APPLICANT, { iin: IIN.adultC }));
    expect((await app.bot.services.grants.changeStatus(ROGUE, ref, 'submitted', 'approved')).result).toBe('changed');
    await app.bot.services.grants.markForConfirmation(ref, 1, ROGUE);
    const mark = new Date((await app.bot.services.grants.get(ref))!.confirmation!.at!).getTime();
    const confirmNotice = `gs-${ref}-1-c${mark}`;
    // THIRD turns the withheld approval into a refusal right after SECOND's notice was queued.
    delivery.afterQueued = { id: confirmNotice, run: () => app.bot.services.grants.changeStatus(THIRD, ref, 'approved', 'rejected', 'Income above the limit', 2) };
    expect(await app.bot.services.grants.confirmDecision(SECOND, ref, 2)).toEqual({ result: 'changed-meanwhile' });
    expect(delivery.cancelled).toContain(confirmNotice);
    expect(delivery.jobs.some((j) => j.id === `gs-${ref}-2`)).toBe(true);
    const record = await app.bot.services.grants.get(ref);
    expect(record?.status).toBe('rejected');
    expect(record?.confirmation).toBeUndefined();
  }, 60_000);

  it('the reviewer whose decision was withheld cannot confirm it themselves once their access is back: another reviewer must', async () => {
    const ref = refIn(await fillApplication(app, FOURTH_APPLICANT, { iin: IIN.adultD }));
    expect((await app.bot.services.grants.changeStatus(ROGUE, ref, 'submitted', 'approved')).result).toBe('changed');
    await app.bot.services.grants.markForConfirmation(ref, 1, ROGUE);
    const queued = delivery.jobs.length;
    expect(await app.bot.services.grants.confirmDecision(ROGUE, ref, 2)).toEqual({ result: 'not-allowed' });
    expect(delivery.jobs.length).toBe(queued);
    expect((await app.bot.services.grants.get(ref))?.confirmation).toMatchObject({ by: ROGUE });
    // Nor is the Confirm button offered to them on the review screen; the other reviewer has it.
    const confirmOffered = async (chat: number) => {
      await app.command(chat, 'menu');
      await app.tapLike(chat, 'Staff');
      await app.tapLike(chat, 'Review applications');
      await app.say(chat, '1');
      await app.say(chat, '1');
      await app.tapLike(chat, ref);
      const buttons = app.last(chat).buttons.flat().join('|');
      await app.tapLike(chat, 'Cancel');
      app.drain(chat);
      return buttons.includes('Confirm this decision');
    };
    expect(await confirmOffered(ROGUE)).toBe(false);
    expect(await confirmOffered(SECOND)).toBe(true);
  }, 60_000);

  it('a withheld notice handled twice (its job retried after a failed audit line) keeps one mark, so a confirmation made meanwhile holds', async () => {
    const ref = refIn(await fillApplication(app, FIFTH_APPLICANT, { iin: IIN.adultE }));
    expect((await app.bot.services.grants.changeStatus(ROGUE, ref, 'submitted', 'in-review')).result).toBe('changed');
    await app.bot.services.grants.markForConfirmation(ref, 1, ROGUE);
    const first = (await app.bot.services.grants.get(ref))!.confirmation!.at;
    // SECOND reads the application and confirms; the worker's retry marks it again meanwhile.
    clock = new Date(NOW.getTime() + 5_000);
    delivery.afterQueued = { id: `gs-${ref}-1-c${new Date(first!).getTime()}`, run: () => app.bot.services.grants.markForConfirmation(ref, 1, ROGUE) };
    expect(await app.bot.services.grants.confirmDecision(SECOND, ref, 2)).toMatchObject({ result: 'confirmed' });
    // Told once, and not waiting for a confirmation any more (another would tell them twice).
    expect((await app.bot.services.grants.get(ref))?.confirmation).toBeUndefined();
    clock = NOW;
  }, 60_000);

  it('a confirmation withheld in turn before it cleared the mark leaves the application waiting, with a new mark', async () => {
    const ref = refIn(await fillApplication(app, SIXTH_APPLICANT, { iin: makeIin('910101', '3', 41) }));
    expect((await app.bot.services.grants.changeStatus(ROGUE, ref, 'submitted', 'in-review')).result).toBe('changed');
    await app.bot.services.grants.markForConfirmation(ref, 1, ROGUE);
    const mark = new Date((await app.bot.services.grants.get(ref))!.confirmation!.at!).getTime();
    const id = `gs-${ref}-1-c${mark}`;
    // The worker sends SECOND's confirmation at once, but SECOND lost access in that instant: withheld.
    clock = new Date(NOW.getTime() + 7_000);
    delivery.afterQueued = { id, run: () => app.bot.services.grants.markForConfirmation(ref, 1, SECOND, mark) };
    expect(await app.bot.services.grants.confirmDecision(SECOND, ref, 2)).toEqual({ result: 'changed-meanwhile' });
    const record = await app.bot.services.grants.get(ref);
    expect(record?.confirmation).toMatchObject({ by: SECOND });
    expect(new Date(record!.confirmation!.at!).getTime()).not.toBe(mark);
    expect(delivery.cancelled).not.toContain(id);
    // THIRD confirms: a new message (a new mark), not the withheld one again.
    expect(await app.bot.services.grants.confirmDecision(THIRD, ref, 2)).toMatchObject({ result: 'confirmed' });
    expect(delivery.jobs.some((j) => j.id === `gs-${ref}-1-c${NOW.getTime() + 7_000}`)).toBe(true);
    clock = NOW;
  }, 60_000);
});
