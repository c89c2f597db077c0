// A mission's cancellation notices were withheld (the coordinator who cancelled lost access before
// they went out) and wait for another coordinator to tell the volunteers. Attacked here: two
// coordinators tapping "Tell the volunteers" at once, and a coordinator whose own telling was
// withheld in turn telling again once their access is back, and the one whose notices were
// withheld telling the volunteers themselves. Real BullMQ queue and delivery
// worker on the test Redis, records on FerretDB, the local Bot API.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { testRedisUrl } from '../support/isolation.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { NOW } from '../grant/helpers.js';
import { addVolunteer, HOUR, mission } from '../volunteer/helpers.js';
import { auditOf, switchableDeliveryWorker, withheldCount, makeCoordinator, onboardAll } from './helpers.js';
import { iq } from '../../src/features/inquiries/callbacks.js';
import { relayedMessageOf } from '../../src/features/inquiries/relay.js';
import { cancelledJob } from '../../src/features/volunteer/mission-jobs.js';
import { MISSION_JOB } from '../../src/features/volunteer/mission-texts.js';
import { deliveryKeys } from '../../src/delivery/keys.js';
import { until } from '../support/until.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { testCipher } from '../support/data-key.js';

const ADMIN = 7700;
const CANCELLER = 7701;
const COORD_X = 7702;
const COORD_Y = 7703;
const VOLUNTEERS = [7710, 7711];
const LATE_VOLUNTEER = 7712;
const TOLD_FIRST = 7713;
const TOLD_LATER = 7714;
const OPERATOR = 7720;
const ASKER = 7721;
const CANCELLED = 'has been cancelled by the organisers';


describe('telling the volunteers of a cancellation whose notices were withheld', () => {
  let app: TestApp;
  let queue: ClosableDeliveryQueue;

  const workers = switchableDeliveryWorker(() => app);
  const startWorker = () => workers.start();
  const stopWorker = () => workers.stop();
  const told = (chat: number) => app.api.messagesTo(chat).filter((m) => (m.text ?? '').includes(CANCELLED)).length;
  const withheld = (actor: number) => withheldCount(app, actor);
  const coordinator = (id: number) => makeCoordinator(app, id, ADMIN);

  /** A mission with these volunteers on it, cancelled by CANCELLER, whose notices were withheld. */
  async function withheldCancellation(title: string, volunteers: number[], days: number): Promise<string> {
    await coordinator(CANCELLER);
    startWorker();
    const { mission: m } = await app.bot.services.missions.publish(mission(NOW, { title, region: 'abai', startsAt: new Date(NOW.getTime() + days * 24 * HOUR) }), CANCELLER);
    const id = String(m._id);
    for (const v of volunteers) expect((await app.bot.services.missions.accept(id, v)).status).toBe('accepted');
    await stopWorker();
    const before = await withheld(CANCELLER);
    expect(await app.bot.services.missions.cancelMission(id, CANCELLER)).toEqual({ told: volunteers.length });
    await app.bot.services.staff.revoke(ADMIN, CANCELLER);
    startWorker();
    await until('the withheld notices', async () => (await withheld(CANCELLER)) === before + volunteers.length);
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toBeDefined();
    return id;
  }

  beforeAll(async () => {
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    app = await createTestApp('withheld_races', { now: () => NOW, adminIds: [ADMIN], delivery: queue, redisPrefix: prefix });
    await app.bot.services.missions.init();
    await onboardAll(app, [CANCELLER, COORD_X, COORD_Y, ...VOLUNTEERS, LATE_VOLUNTEER, TOLD_FIRST, TOLD_LATER, OPERATOR, ASKER]);
    for (const v of [...VOLUNTEERS, LATE_VOLUNTEER, TOLD_FIRST, TOLD_LATER]) await addVolunteer(app, v, 'en', { region: 'abai' });
    await coordinator(COORD_X);
    await coordinator(COORD_Y);
  }, 120_000);
  afterAll(async () => {
    await stopWorker();
    await queue?.close();
    await app?.close();
  });

  it('two coordinators telling at once: each volunteer gets one message', async () => {
    const id = await withheldCancellation('Park clean-up', VOLUNTEERS, 4);
    await stopWorker();
    const results = await Promise.all([COORD_X, COORD_Y].map((c) => app.bot.services.missions.confirmCancellation(id, c)));
    // Both taps may find the withheld notice and tell (the notices' ids make it one message each),
    // or one may finish before the other reads it, which then finds nothing left to confirm.
    expect(results.filter((r) => r !== null)).not.toHaveLength(0);
    for (const result of results) expect([null, { told: 2 }]).toContainEqual(result);
    startWorker();
    await until('the notices', () => VOLUNTEERS.every((v) => told(v) > 0));
    await untilDeliveryIdle(app.config);
    expect(VOLUNTEERS.map(told)).toEqual([1, 1]);
    // Each tap is audited at least once between them (FerretDB may report both clears as writes).
    const audits = [...(await auditOf(app, COORD_X, 'mission.cancel.confirm')), ...(await auditOf(app, COORD_Y, 'mission.cancel.confirm'))];
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toBeUndefined();
  }, 90_000);

  it('a coordinator whose telling was withheld tells again after another telling was withheld too: the volunteer is told', async () => {
    const id = await withheldCancellation('Book drive', [LATE_VOLUNTEER], 5);
    /** `by` tells the volunteers and loses their access before the notice goes out. */
    async function tellAndLose(by: number): Promise<void> {
      await stopWorker();
      expect(await app.bot.services.missions.confirmCancellation(id, by)).toEqual({ told: 1 });
      const before = await withheld(by);
      await app.bot.services.staff.revoke(ADMIN, by);
      startWorker();
      await until('the withheld telling', async () => (await withheld(by)) === before + 1);
      expect((await app.bot.services.missions.get(id))?.cancelNotice).toMatchObject({ by });
    }
    await tellAndLose(COORD_X);
    await tellAndLose(COORD_Y);
    expect(told(LATE_VOLUNTEER)).toBe(0);
    // X's access was withdrawn by mistake and given back: X tells again (Y's telling waits, not X's own).
    await coordinator(COORD_X);
    expect(await app.bot.services.missions.confirmCancellation(id, COORD_X)).toEqual({ told: 1 });
    await until('the notice', () => told(LATE_VOLUNTEER) > 0);
    await untilDeliveryIdle(app.config);
    expect(told(LATE_VOLUNTEER)).toBe(1);
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toBeUndefined();
    await coordinator(COORD_Y);
  }, 90_000);

  it('the coordinator whose cancellation notices were withheld cannot tell the volunteers themselves once their access is back', async () => {
    const id = await withheldCancellation('Tree planting', [VOLUNTEERS[0]!], 6);
    await coordinator(CANCELLER);
    const before = told(VOLUNTEERS[0]!);
    expect(await app.bot.services.missions.confirmCancellation(id, CANCELLER)).toBeNull();
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toMatchObject({ by: CANCELLER });
    // Nor is "Tell the volunteers" offered to them in mission management; another coordinator has it.
    const tellOffered = async (chat: number) => {
      app.drain(chat);
      await app.send(app.api.callback(chat, 'm:mission-manage', undefined, { enqueue: false }));
      await app.tapLike(chat, 'Tree planting');
      const buttons = app.last(chat).buttons.flat().join('|');
      await app.tapLike(chat, 'Cancel');
      app.drain(chat);
      return buttons.includes('Tell the volunteers');
    };
    expect(await tellOffered(CANCELLER)).toBe(false);
    expect(await tellOffered(COORD_Y)).toBe(true);
    await untilDeliveryIdle(app.config);
    expect(told(VOLUNTEERS[0]!)).toBe(before);
  }, 90_000);

  it('the coordinator loses access part-way through the notices: only those not told yet are told, and a late retry of an old notice marks nothing again', async () => {
    await coordinator(CANCELLER);
    startWorker();
    const { mission: m } = await app.bot.services.missions.publish(mission(NOW, { title: 'Half told', region: 'abai', startsAt: new Date(NOW.getTime() + 7 * 24 * HOUR) }), CANCELLER);
    const id = String(m._id);
    for (const v of [TOLD_FIRST, TOLD_LATER]) expect((await app.bot.services.missions.accept(id, v)).status).toBe('accepted');
    await stopWorker();
    expect(await app.bot.services.missions.cancelMission(id, CANCELLER)).toEqual({ told: 2 });
    // TOLD_FIRST's notice goes out while CANCELLER still has access; TOLD_LATER's waits (taken
    // out of the queue and put back unchanged after the revoke: the batch cut in two).
    await queue.cancel([MISSION_JOB.cancelled(id, TOLD_LATER)]);
    startWorker();
    await until('the first notice', () => told(TOLD_FIRST) === 1);
    await stopWorker();
    await app.bot.services.staff.revoke(ADMIN, CANCELLER);
    const recipient = await app.bot.services.volunteers.recipient(TOLD_LATER);
    const cancelled = await app.bot.services.missions.get(id);
    if (!recipient || !cancelled) throw new Error('set-up');
    const original = cancelledJob(app.bot.i18n, cancelled, recipient, CANCELLER);
    const before = await withheld(CANCELLER);
    await queue.enqueue([original]);
    startWorker();
    await until('the withheld notice', async () => (await withheld(CANCELLER)) === before + 1);
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toMatchObject({ by: CANCELLER });

    expect(await app.bot.services.missions.confirmCancellation(id, COORD_X)).toEqual({ told: 1 });
    await until('the second notice', () => told(TOLD_LATER) === 1);
    await untilDeliveryIdle(app.config);
    expect([told(TOLD_FIRST), told(TOLD_LATER)]).toEqual([1, 1]);
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toBeUndefined();

    // The original withheld job run once more (a retry after a failed audit write, say): the
    // mission is not marked again and nobody is told twice.
    await app.bot.services.staff.revoke(ADMIN, CANCELLER).catch(() => undefined);
    const again = await withheld(CANCELLER);
    // As a job that failed after the feature's mark (its audit line not written) is: not finished.
    await queue.cancel([original.id]);
    // Not finished and not audited (the audit line failed): its done and audit claims are gone.
    await app.redis.del(deliveryKeys(app.config.REDIS_PREFIX).done(original.id), deliveryKeys(app.config.REDIS_PREFIX).withheldAudited(original.id));
    await queue.enqueue([original]);
    await until('the old notice withheld again', async () => (await withheld(CANCELLER)) === again + 1);
    await untilDeliveryIdle(app.config);
    expect((await app.bot.services.missions.get(id))?.cancelNotice).toBeUndefined();
    expect([told(TOLD_FIRST), told(TOLD_LATER)]).toEqual([1, 1]);
  }, 90_000);

  it("an operator's withheld answer is not shown to the person in My questions either", async () => {
    await stopWorker();
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: ['grants'] });
    const created = await app.bot.services.inquiries.create({
      submissionKey: 'withheld-mine', userId: ASKER, chatId: ASKER, locale: 'en', topic: 'grants', text: 'When is my grant decided?',
    });
    if (created.result !== 'created') throw new Error(created.result);
    app.drain(OPERATOR);
    await app.send(app.api.callback(OPERATOR, iq.staff('reply', created.ref), undefined, { enqueue: false }));
    await app.say(OPERATOR, 'Rogue answer: your grant is refused.');
    await app.bot.services.staff.changeAccess(ADMIN, OPERATOR, { roles: ['operator'], regions: null, topics: ['rehab'] });
    const before = await withheld(OPERATOR);
    startWorker();
    await until('the withheld answer', async () => (await withheld(OPERATOR)) === before + 1);
    const mine = async () => {
      app.drain(ASKER);
      await app.send(app.api.callback(ASKER, iq.mine(), undefined, { enqueue: false }));
      return app.drain(ASKER).join('\n');
    };
    const shown = await mine();
    expect(shown).toContain(created.ref);
    expect(shown).toContain('When is my grant decided?');
    expect(shown).not.toContain('Rogue answer');
    expect(app.api.messagesTo(ASKER).map((m) => m.text ?? '').join('\n')).not.toContain('Rogue answer');
    // Another operator's answer is shown as usual.
    await app.bot.services.users.makeStaff(COORD_X + 100, COORD_X + 100, 'en', ADMIN, { roles: ['operator'], regions: null, topics: ['grants'] });
    await onboard(app, COORD_X + 100);
    await app.send(app.api.callback(COORD_X + 100, iq.staff('reply', created.ref), undefined, { enqueue: false }));
    await app.say(COORD_X + 100, 'Your application is decided next week.');
    expect(await mine()).toContain('Your application is decided next week.');
  }, 90_000);

  it('reads which operator message a relay job carries, from the staff group or a private chat, any part', () => {
    expect(relayedMessageOf('inq-Q-2026-000001-s1001234567890-42')).toEqual({ chatId: -1001234567890, messageId: 42 });
    expect(relayedMessageOf('inq-Q-2026-000001-s1001234567890-42-2')).toEqual({ chatId: -1001234567890, messageId: 42 });
    // A job of the previous release, which did not name the group.
    expect(relayedMessageOf('inq-Q-2026-000001-g42')).toEqual({ messageId: 42 });
    expect(relayedMessageOf('inq-Q-2026-000001-g42-3')).toEqual({ messageId: 42 });
    expect(relayedMessageOf('inq-Q-2026-000001-p7720-15-2')).toEqual({ chatId: 7720, messageId: 15 });
    expect(relayedMessageOf('inq-Q-2026-000001-closed')).toBeNull();
  });
});
