// Messages that carry a staff member's action are checked again when they are sent: a decision,
// an invitation or an answer whose author lost the permission (or the region) between the action
// and the send reaches nobody, is audited, and a grant decision waits for another reviewer. Real
// BullMQ queue and delivery worker on the test Redis, records on FerretDB, the local Bot API;
// the worker is stopped while the access changes, so "between the action and the send" is exact.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { testRedisUrl } from '../support/isolation.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from '../../src/delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from '../../src/delivery/delivery-worker.js';
import { createLogger } from '../../src/logger.js';
import type { Access } from '../../src/app/access.js';
import { fillApplication, IIN, NOW, refIn } from '../grant/helpers.js';
import { addVolunteer, HOUR, mission } from '../volunteer/helpers.js';
import { auditOf, switchableDeliveryWorker, withheldCount, makeCoordinator, onboardAll } from './helpers.js';
import { iq } from '../../src/features/inquiries/callbacks.js';
import { startRestartableFerret } from '../support/restartable.js';
import { actorCheck } from '../../src/delivery/actor-check.js';
import { deliveryKeys } from '../../src/delivery/keys.js';
import { until } from '../support/until.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { testCipher } from '../support/data-key.js';

const ADMIN = 7600;
const ROGUE = 7601;
const SECOND = 7602;
const APPLICANT = 7603;
const OTHER_APPLICANT = 7604;
const COORDINATOR = 7605;
const VOLUNTEER = 7606;
const THIRD_APPLICANT = 7607;
const OPERATOR = 7608;
const ASKER = 7609;
const CANCELLER = 7610;
const OTHER_COORDINATOR = 7611;
const FOURTH_APPLICANT = 7612;
const REVIEWER_X = 7613;
const REVIEWER_Y = 7614;
const reviewer = (regions: string[] | null): Access => ({ roles: ['reviewer'], regions, topics: null });


describe('notices sent in the name of a staff member who lost access before the send', () => {
  let app: TestApp;
  let queue: ClosableDeliveryQueue;
  let ref: string;
  let otherRef: string;

  const workers = switchableDeliveryWorker(() => app);
  const startWorker = () => workers.start();
  const stopWorker = () => workers.stop();
  const texts = (chat: number) => app.api.messagesTo(chat).map((m) => m.text ?? '');
  const withheld = (actor: number) => withheldCount(app, actor);

  /** Staff → Review applications → All open applications → all (my) regions. */
  async function openList(chat: number): Promise<string> {
    app.drain(chat);
    await app.command(chat, 'menu');
    await app.tapLike(chat, 'Staff');
    await app.tapLike(chat, 'Review applications');
    await app.say(chat, '1');
    app.drain(chat);
    // "All regions" or "All my regions" is the first choice either way.
    await app.say(chat, '1');
    return app.drain(chat).join('\n');
  }

  /** Opens an application from the list and takes a decision with a comment. */
  async function decide(chat: number, application: string, button: string, comment: string): Promise<void> {
    await openList(chat);
    await app.tapLike(chat, application);
    await app.tapLike(chat, button);
    await app.say(chat, comment);
    expect(app.drain(chat).join('\n')).toContain(`Application ${application}: the status is now`);
  }

  beforeAll(async () => {
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    app = await createTestApp('withheld_notices', { now: () => NOW, adminIds: [ADMIN], delivery: queue, redisPrefix: prefix });
    await app.bot.services.missions.init();
    await onboardAll(app, [ROGUE, SECOND, APPLICANT, OTHER_APPLICANT, THIRD_APPLICANT, COORDINATOR, OPERATOR, ASKER, CANCELLER, OTHER_COORDINATOR, FOURTH_APPLICANT]);
    ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultA }));
    otherRef = refIn(await fillApplication(app, OTHER_APPLICANT, { iin: IIN.adultC }));
    await app.bot.services.users.makeStaff(ROGUE, ROGUE, 'en', ADMIN, reviewer(['karaganda']));
    await app.bot.services.users.makeStaff(SECOND, SECOND, 'en', ADMIN, reviewer(['karaganda']));
  }, 120_000);
  afterAll(async () => {
    await stopWorker();
    await queue?.close();
    await app?.close();
  });

  it('withholds a decision whose reviewer was revoked before the send, and sends it once another reviewer confirms it', async () => {
    await decide(ROGUE, ref, 'Approve', 'Everything is in order');
    expect(await app.bot.services.staff.revoke(ADMIN, ROGUE)).toBe(true);
    startWorker();
    await until('the withheld notice', async () => (await withheld(ROGUE)) === 1);

    // Nothing reached the applicant; the decision stands, marked for another reviewer.
    expect(texts(APPLICANT).join('\n')).not.toContain('Approved');
    const record = await app.bot.services.grants.get(ref);
    expect(record?.status).toBe('approved');
    expect(record?.confirmation).toMatchObject({ index: 1, by: ROGUE });
    const [audit] = await auditOf(app, ROGUE, 'notice.withheld');
    expect(audit).toMatchObject({ target: `grant:${ref}`, details: { kind: 'grant-status', permission: 'grants.review', region: 'karaganda' } });
    expect(JSON.stringify(audit)).not.toMatch(/Everything is in order|Aliya/);
    // Nor can the applicant read it in "My applications": the status from before it is shown.
    app.drain(APPLICANT);
    await app.command(APPLICANT, 'myapplications');
    const mine = app.drain(APPLICANT).join('\n');
    expect(mine).toContain(ref);
    expect(mine).toContain('Submitted');
    expect(mine).not.toContain('Approved');
    expect(mine).not.toContain('Everything is in order');

    // Another reviewer finds it among the open applications with a plain note, reads why and confirms.
    const list = await openList(SECOND);
    expect(list).toContain(ref);
    expect(list).toContain('Needs confirmation: the applicant has not been told yet');
    await app.tapLike(SECOND, ref);
    const details = app.drain(SECOND).join('\n');
    expect(details).toContain('lost their access before the applicant was told');
    expect(app.last(SECOND).buttons.flat()).toEqual(expect.arrayContaining(['1. Confirm this decision', '2. Reject', '3. Leave unchanged']));
    await app.tapLike(SECOND, 'Confirm this decision');
    expect(app.drain(SECOND).join('\n')).toContain(`Application ${ref}: you confirmed the status "Approved". The applicant has been notified.`);

    await until('the confirmed notice', () => texts(APPLICANT).some((t) => t.includes('Approved')));
    await untilDeliveryIdle(app.config);
    expect(texts(APPLICANT).filter((t) => t.includes('Approved'))).toHaveLength(1);
    app.drain(APPLICANT);
    await app.command(APPLICANT, 'myapplications');
    expect(app.drain(APPLICANT).join('\n')).toContain('Approved');
    expect((await app.bot.services.grants.get(ref))?.confirmation).toBeUndefined();
    expect(await auditOf(app, SECOND, 'grant.status.confirm')).toMatchObject([{ target: `grant:${ref}`, details: { status: 'approved', withheldBy: ROGUE } }]);
    // Settled: no longer listed as waiting, and a second confirm (a stale button) changes nothing.
    expect(await app.bot.services.grants.confirmDecision(SECOND, ref, 2)).toEqual({ result: 'changed-meanwhile' });
  }, 90_000);

  it('withholds a decision whose reviewer lost the region, and tells the applicant only the decision that replaced it', async () => {
    await app.bot.services.users.makeStaff(ROGUE, ROGUE, 'en', ADMIN, reviewer(['karaganda']));
    await stopWorker();
    await decide(ROGUE, otherRef, 'Reject', 'The idea does not fit the programme');
    // Moved to another region: still a reviewer, no longer for Karaganda.
    await app.bot.services.staff.changeAccess(ADMIN, ROGUE, reviewer(['abai']));
    startWorker();
    await until('the withheld notice', async () => (await withheld(ROGUE)) === 2);
    expect(texts(OTHER_APPLICANT).join('\n')).not.toContain('Rejected');

    // The second reviewer turns the refusal into an approval: the applicant hears only that.
    await openList(SECOND);
    await app.tapLike(SECOND, otherRef);
    await app.tapLike(SECOND, 'Approve');
    await app.say(SECOND, '-');
    expect(app.drain(SECOND).join('\n')).toContain(`Application ${otherRef}: the status is now "Approved"`);
    await until('the new notice', () => texts(OTHER_APPLICANT).some((t) => t.includes('Approved')));
    await untilDeliveryIdle(app.config);
    expect(texts(OTHER_APPLICANT).join('\n')).not.toContain('Rejected');
    const record = await app.bot.services.grants.get(otherRef);
    expect(record?.history.map((h) => h.status)).toEqual(['submitted', 'rejected', 'approved']);
    expect(record?.confirmation).toBeUndefined();
  }, 90_000);

  it('withholds a confirmation whose reviewer is revoked in turn, and keeps the application waiting', async () => {
    const third = refIn(await fillApplication(app, THIRD_APPLICANT, { iin: IIN.adultD }));
    await stopWorker();
    await app.bot.services.users.makeStaff(ROGUE, ROGUE, 'en', ADMIN, reviewer(null));
    await decide(ROGUE, third, 'Take into review', '-');
    await app.bot.services.staff.revoke(ADMIN, ROGUE);
    startWorker();
    await until('the withheld notice', async () => (await withheld(ROGUE)) === 3);
    await stopWorker();
    expect(await app.bot.services.grants.confirmDecision(SECOND, third, 2)).toMatchObject({ result: 'confirmed' });
    await app.bot.services.staff.revoke(ADMIN, SECOND);
    startWorker();
    await until('the second withheld notice', async () => (await withheld(SECOND)) === 1);
    expect(texts(THIRD_APPLICANT).join('\n')).not.toContain('In review');
    expect((await app.bot.services.grants.get(third))?.confirmation).toMatchObject({ index: 1, by: SECOND });
  }, 90_000);

  it('sends one notice when two reviewers confirm the same withheld decision at once', async () => {
    const ref4 = refIn(await fillApplication(app, FOURTH_APPLICANT, { iin: IIN.adultB }));
    for (const id of [ROGUE, REVIEWER_X, REVIEWER_Y]) await app.bot.services.users.makeStaff(id, id, 'en', ADMIN, reviewer(null));
    await stopWorker();
    const before = await withheld(ROGUE);
    expect((await app.bot.services.grants.changeStatus(ROGUE, ref4, 'submitted', 'in-review')).result).toBe('changed');
    await app.bot.services.staff.revoke(ADMIN, ROGUE);
    startWorker();
    await until('the withheld notice', async () => (await withheld(ROGUE)) === before + 1);
    await until('the mark', async () => (await app.bot.services.grants.get(ref4))?.confirmation?.index === 1);
    await stopWorker();
    const results = await Promise.all([REVIEWER_X, REVIEWER_Y].map((id) => app.bot.services.grants.confirmDecision(id, ref4, 2)));
    expect(results.some((r) => r.result === 'confirmed')).toBe(true);
    startWorker();
    await until('the notice', () => texts(FOURTH_APPLICANT).some((t) => t.includes('In review')));
    await untilDeliveryIdle(app.config);
    expect(texts(FOURTH_APPLICANT).filter((t) => t.includes('In review'))).toHaveLength(1);
  }, 90_000);

  it('withholds the invitations of a mission whose coordinator was revoked before they went out', async () => {
    await stopWorker();
    await app.bot.services.users.makeStaff(COORDINATOR, COORDINATOR, 'en', ADMIN, { roles: ['coordinator'], regions: ['abai'], topics: null });
    await addVolunteer(app, VOLUNTEER, 'en', { region: 'abai' });
    const published = await app.bot.services.missions.publish(mission(NOW, { region: 'abai', startsAt: new Date(NOW.getTime() + 3 * 24 * HOUR) }), COORDINATOR);
    expect(published.invited).toBe(1);
    await app.bot.services.staff.revoke(ADMIN, COORDINATOR);
    startWorker();
    await until('the withheld invitation', async () => (await withheld(COORDINATOR)) === 1);
    expect(texts(VOLUNTEER).join('\n')).not.toContain('A volunteer mission needs help');
    expect((await auditOf(app, COORDINATOR, 'notice.withheld'))[0]).toMatchObject({ details: { kind: 'mission-invite', permission: 'missions.manage', region: 'abai' } });
  }, 60_000);
  it('withholds the cancellation notices of a coordinator revoked before they went out, until another coordinator tells the volunteers', async () => {
    const coordinator = (id: number) => makeCoordinator(app, id, ADMIN);
    await coordinator(CANCELLER);
    await coordinator(OTHER_COORDINATOR);
    startWorker();
    const { mission: m } = await app.bot.services.missions.publish(mission(NOW, { title: 'Park clean-up', region: 'abai', startsAt: new Date(NOW.getTime() + 4 * 24 * HOUR) }), CANCELLER);
    await until('the invitation', () => texts(VOLUNTEER).some((t) => t.includes('Park clean-up')));
    expect((await app.bot.services.missions.accept(String(m._id), VOLUNTEER)).status).toBe('accepted');
    await stopWorker();
    expect(await app.bot.services.missions.cancelMission(String(m._id), CANCELLER)).toEqual({ told: 1 });
    await app.bot.services.staff.revoke(ADMIN, CANCELLER);
    startWorker();
    await until('the withheld cancellation', async () => (await withheld(CANCELLER)) === 1);
    const cancelled = 'has been cancelled by the organisers';
    expect(texts(VOLUNTEER).join('\n')).not.toContain(cancelled);
    expect((await app.bot.services.missions.get(String(m._id)))?.cancelNotice).toMatchObject({ by: CANCELLER });

    // Another coordinator of the region sees it marked, and tells the volunteers.
    app.drain(OTHER_COORDINATOR);
    await app.send(app.api.callback(OTHER_COORDINATOR, 'm:mission-manage', undefined, { enqueue: false }));
    expect(app.drain(OTHER_COORDINATOR).join('\n')).toContain('Park clean-up (cancelled; the volunteers have not been told yet)');
    await app.tapLike(OTHER_COORDINATOR, 'Park clean-up');
    await app.tapLike(OTHER_COORDINATOR, 'Tell the volunteers');
    expect(app.drain(OTHER_COORDINATOR).join('\n')).toContain('1 volunteer is being told that the mission is cancelled.');
    await until('the cancellation notice', () => texts(VOLUNTEER).some((t) => t.includes(cancelled)));
    expect((await app.bot.services.missions.get(String(m._id)))?.cancelNotice).toBeUndefined();
    expect(await auditOf(app, OTHER_COORDINATOR, 'mission.cancel.confirm')).toMatchObject([{ details: { told: 1, withheldBy: CANCELLER } }]);
  }, 60_000);

  it('changes nothing when a job that already went out runs again after its author lost access (a worker killed before BullMQ heard)', async () => {
    const check = actorCheck({ services: app.bot.services, redis: app.redis, prefix: app.config.REDIS_PREFIX });
    const job = { id: 'gs-KMK-2026-999999-1', chatId: APPLICANT, kind: 'grant-status' as const, text: 'x', ref: 'grant:KMK-2026-999999',
      actedBy: { userId: ROGUE, permission: 'grants.review' as const, region: 'karaganda' } };
    const before = await withheld(ROGUE);
    await app.redis.set(deliveryKeys(app.config.REDIS_PREFIX).done(job.id), 'sent');
    expect(await check(job)).toBe(false);
    expect(await withheld(ROGUE)).toBe(before);
    // And a member who still holds the right passes, with nothing audited.
    const adminBefore = await withheld(ADMIN);
    expect(await check({ ...job, id: 'gs-other-1', actedBy: { ...job.actedBy, userId: ADMIN } })).toBe(true);
    expect(await withheld(ADMIN)).toBe(adminBefore);
  });

  it("withholds an operator's answer when the operator lost the question's topic before it went out", async () => {
    await stopWorker();
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN, { roles: ['operator'], regions: null, topics: ['grants'] });
    const created = await app.bot.services.inquiries.create({
      submissionKey: 'withheld-operator', userId: ASKER, chatId: ASKER, locale: 'en', topic: 'grants', text: 'When is my grant decided?',
    });
    if (created.result !== 'created') throw new Error(created.result);
    app.drain(OPERATOR);
    await app.send(app.api.callback(OPERATOR, iq.staff('reply', created.ref), undefined, { enqueue: false }));
    await app.say(OPERATOR, 'Your grant is decided next week.');
    expect(app.drain(OPERATOR).join('\n')).toContain(created.ref);
    // Moved to another topic before the answer was sent.
    await app.bot.services.staff.changeAccess(ADMIN, OPERATOR, { roles: ['operator'], regions: null, topics: ['rehab'] });
    startWorker();
    await until('the withheld answer', async () => (await withheld(OPERATOR)) === 1);
    expect(texts(ASKER).join('\n')).not.toContain('Your grant is decided next week.');
    expect((await auditOf(app, OPERATOR, 'notice.withheld'))[0]).toMatchObject({
      target: created.ref, details: { kind: 'inquiry-relay', permission: 'inquiries.answer', topic: 'grants' },
    });
  }, 60_000);
});

describe('a withheld notice with the database stopped at send time', () => {
  it('is neither sent nor lost: tried again, then withheld and marked once the database is back', async () => {
    const ferret = await startRestartableFerret();
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    const queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    const app = await createTestApp('withheld_db', { now: () => NOW, adminIds: [ADMIN], delivery: queue, redisPrefix: prefix, mongoUri: `${ferret.url}komek_withheld_outage` });
    let worker: DeliveryWorkerHandle | undefined;
    try {
      await onboard(app, APPLICANT);
      await onboard(app, ROGUE);
      const ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultE }));
      await app.bot.services.users.makeStaff(ROGUE, ROGUE, 'en', ADMIN, reviewer(null));
      expect((await app.bot.services.grants.changeStatus(ROGUE, ref, 'submitted', 'approved', 'Fine')).result).toBe('changed');
      await app.bot.services.staff.revoke(ADMIN, ROGUE);

      await ferret.stop();
      const failedTries: string[] = [];
      const logs = new Writable({
        write(chunk: Buffer, _enc, done) {
          if (chunk.toString().includes('delivery attempt failed')) failedTries.push(chunk.toString());
          done();
        },
      });
      worker = startBotDeliveryWorker({
        config: app.config, redis: app.redis, services: app.bot.services, i18n: app.bot.i18n, api: app.bot.runtime.api,
        logger: createLogger('debug', logs),
      });
      // The access says "withdrawn" (Redis), but the audit cannot be written: the job fails and waits.
      await until('a failed try with the database stopped', () => failedTries.length >= 1, 20_000);
      expect(app.api.messagesTo(APPLICANT).some((m) => m.text?.includes('Approved'))).toBe(false);

      await ferret.start();
      await until('the withheld notice', async () => (await auditOf(app, ROGUE, 'notice.withheld')).length === 1, 60_000);
      await until('the mark', async () => (await app.bot.services.grants.get(ref))?.confirmation?.index === 1, 10_000);
      await untilDeliveryIdle(app.config);
      expect(app.api.messagesTo(APPLICANT).some((m) => m.text?.includes('Approved'))).toBe(false);
      expect(await auditOf(app, ROGUE, 'notice.withheld')).toHaveLength(1);
    } finally {
      await worker?.close();
      await queue.close();
      await app.close();
      await ferret.destroy();
    }
  }, 120_000);
});
