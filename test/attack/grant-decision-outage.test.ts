import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { runRepairs } from '../../src/app/repair-tick.js';
import { grantFeature } from '../../src/features/grant/index.js';
import { grantDecisionModel } from '../../src/features/grant/grant-decision.model.js';
import { fillApplication, IIN, makeIin, NOW, refIn } from '../grant/helpers.js';

const STAFF = 7900;
const ADMIN = 7901;
const RU_APPLICANT = 7910;
const KK_APPLICANT = 7911;
const EN_APPLICANT = 7912;
const FOURTH = 7913;
const FIFTH = 7914;
const SIXTH = 7915;

/** The project's delivery queue interface whose queue (Redis) refuses the next enqueue(s). */
class QueueAway extends RecordingDelivery {
  awayFor = 0;
  error: () => Error = () => new TransientError('queue unreachable');
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.awayFor > 0) {
      this.awayFor -= 1;
      throw this.error();
    }
    await super.enqueue(jobs);
  }
}

// A reviewer's decision is written to the application first and its notice queued after. With
// the queue (Redis) away at that moment, or the process stopped in between, the update is run
// again by the chat's mailbox, or not at all (moved to the dead-letter list): the applicant must
// still be told, once, in their language, and the reviewer must not be told that somebody else
// changed the application when it was their own decision.
describe('grant: a decision whose notice could not be queued at once', () => {
  let app: TestApp;
  const delivery = new QueueAway();
  let clock = NOW;
  beforeAll(async () => {
    app = await createSceneHarness('attack_grant_decision_outage', {
      now: () => clock,
      adminIds: [ADMIN],
      delivery,
      env: { MAILBOX_RETRY_BASE_MS: '20', MAILBOX_RETRY_MAX_MS: '50' },
    });
    await onboard(app, STAFF);
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await onboard(app, RU_APPLICANT, 'Русский');
    await onboard(app, KK_APPLICANT, 'Қазақша');
    for (const chat of [EN_APPLICANT, FOURTH, FIFTH, SIXTH]) await onboard(app, chat);
  }, 60_000);
  afterAll(async () => app?.close());

  const notices = (ref: string) => delivery.jobs.filter((j) => j.id.startsWith(`gs-${ref}-`));

  /** The main menu, which follows the scene's last answer once the update is done. */
  const menuAfter = (chat: number, since: number) =>
    app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === chat && String(call.payload.text ?? '').startsWith('Main menu'), 10_000, since);

  async function openForReview(ref: string): Promise<void> {
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Review applications');
    await app.say(STAFF, '1');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, ref);
    app.drain(STAFF);
  }

  it('the mailbox runs the decision again: the reviewer is told it is done and the applicant is told once, in Russian', async () => {
    const ref = refIn(await fillApplication(app, RU_APPLICANT, { iin: IIN.adultA }));
    await openForReview(ref);
    await app.tapLike(STAFF, 'Approve');
    app.drain(STAFF);
    delivery.awayFor = 1;
    const since = app.api.calls.length;
    await app.say(STAFF, '-');
    // The mailbox tries the update again after a short pause.
    await menuAfter(STAFF, since);
    const told = app.drain(STAFF).join('\n');
    expect(told).toContain(`Application ${ref}: the status is now "Approved".`);
    expect(told).not.toContain('Someone else');
    expect(notices(ref).map((j) => j.id)).toEqual([`gs-${ref}-1`]);
    expect(notices(ref)[0]!.chatId).toBe(RU_APPLICANT);
    expect(notices(ref)[0]!.text).toContain('Одобрена');
    expect((await app.bot.services.grants.get(ref))!.history.map((h) => h.status)).toEqual(['submitted', 'approved']);
  }, 60_000);

  it('the process stopped after the claim and before the application was written: its own retry finishes it at once', async () => {
    const ref = refIn(await fillApplication(app, EN_APPLICANT, { iin: IIN.adultB }));
    await grantDecisionModel(app.mongo).create({
      _id: `${ref}/1`, ref, position: 1, from: 'submitted', status: 'rejected', at: clock, by: STAFF, source: 'staff', comment: 'Income above the limit',
    });
    // The same reviewer's update, run again seconds later by the next holder of the chat.
    expect(await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'rejected', 'Income above the limit', 1)).toEqual({
      result: 'changed', ref, status: 'rejected',
    });
    const record = (await app.bot.services.grants.get(ref))!;
    expect(record.history.map((h) => [h.status, h.by])).toEqual([['submitted', EN_APPLICANT], ['rejected', STAFF]]);
    expect(notices(ref).map((j) => j.id)).toEqual([`gs-${ref}-1`]);
    expect(notices(ref)[0]!.text).toContain('Income above the limit');
    // A different decision on the same view is still somebody else's change.
    expect(await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'approved', undefined, 1)).toEqual({ result: 'changed-meanwhile' });
  }, 60_000);

  it('an update given up on (dead-lettered) leaves the notice to the repair pass, which queues it once, in Kazakh', async () => {
    const ref = refIn(await fillApplication(app, KK_APPLICANT, { iin: IIN.adultC }));
    delivery.awayFor = 1;
    delivery.error = () => new Error('queue refused');
    await expect(app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'in-review', undefined, 1)).rejects.toThrow('queue refused');
    delivery.error = () => new TransientError('queue unreachable');
    expect(notices(ref)).toHaveLength(0);
    // Not at once: the deciding process may still be queueing it.
    await runRepairs([grantFeature], app.bot.deps);
    expect(notices(ref)).toHaveLength(0);
    clock = new Date(clock.getTime() + 2 * 60_000);
    await runRepairs([grantFeature], app.bot.deps);
    await runRepairs([grantFeature], app.bot.deps);
    expect(notices(ref).map((j) => j.id)).toEqual([`gs-${ref}-1`]);
    expect(notices(ref)[0]!.chatId).toBe(KK_APPLICANT);
    expect(notices(ref)[0]!.text).toContain('Қаралуда');
    expect(notices(ref)[0]!.actedBy).toMatchObject({ userId: STAFF, permission: 'grants.review' });
  }, 60_000);

  it('a claim never written, its reviewer gone: the repair pass writes it and tells the applicant once', async () => {
    const ref = refIn(await fillApplication(app, FOURTH, { iin: IIN.adultD }));
    await grantDecisionModel(app.mongo).create({
      _id: `${ref}/1`, ref, position: 1, from: 'submitted', status: 'approved', at: clock, by: STAFF, source: 'staff', pending: true,
    });
    clock = new Date(clock.getTime() + 2 * 60_000);
    await runRepairs([grantFeature], app.bot.deps);
    expect((await app.bot.services.grants.getForUser(FOURTH, ref))!.status).toBe('approved');
    expect(notices(ref).map((j) => j.id)).toEqual([`gs-${ref}-1`]);
    expect(await app.bot.services.audit.recent(10, { action: 'grant.status', target: `grant:${ref}` })).toHaveLength(1);
  }, 60_000);

  it("the applicant's answer to a question, run again by the mailbox: they are thanked, not told nothing waits", async () => {
    const ref = refIn(await fillApplication(app, SIXTH, { iin: makeIin('870202', '4', 52) }));
    expect((await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'more-info', 'Where will the workshop be?')).result).toBe('changed');
    const button = notices(ref)[0]!.buttons![0]![0]!;
    await app.send(app.api.callback(SIXTH, button.data!, app.last(SIXTH).messageId, { enqueue: false }));
    app.drain(SIXTH);
    delivery.awayFor = 1;
    const since = app.api.calls.length;
    await app.say(SIXTH, 'At home, in a separate room.');
    await menuAfter(SIXTH, since);
    const told = app.drain(SIXTH).join('\n');
    expect(told).toContain(`Your answer is added to application ${ref}`);
    const record = (await app.bot.services.grants.get(ref))!;
    expect(record.history.map((h) => h.status)).toEqual(['submitted', 'more-info', 'in-review']);
    expect(notices(ref).map((j) => j.id)).toEqual([`gs-${ref}-1`, `gs-${ref}-2`]);
  }, 60_000);

  it('a decision told normally leaves nothing for the repair pass', async () => {
    const ref = refIn(await fillApplication(app, FIFTH, { iin: makeIin('880808', '3', 41) }));
    expect((await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'in-review')).result).toBe('changed');
    expect(notices(ref)).toHaveLength(1);
    clock = new Date(clock.getTime() + 2 * 60_000);
    expect(await runRepairs([grantFeature], app.bot.deps)).toBe(0);
    expect(await grantDecisionModel(app.mongo).countDocuments({ ref, pending: true })).toBe(0);
  }, 60_000);
});
