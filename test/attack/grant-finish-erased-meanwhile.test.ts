// The repair pass that finishes decisions cut short (GrantDecisions.finishPending) reads the
// pending claims as a batch, writes each into its application, then marks the claim finished.
// "Delete my data" takes the applicant's answer and Telegram id out of the claim and the
// application meanwhile, under the application's lock: what the pass writes after must not bring
// them back. The tests hold the claim's row in the PostgreSQL under the test FerretDB, so the
// reads of both writers come before either write, every time.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { grantApplicationModel } from '../../src/features/grant/grant-application.model.js';
import { decisionId } from '../../src/features/grant/grant-decision.model.js';
import { GrantsService } from '../../src/features/grant/grants.service.js';
import { createDataCipher } from '../../src/security/crypto.js';
import type { DeliveryQueue } from '../../src/delivery/types.js';
import { makeIin, NOW, submitDirectly } from '../grant/helpers.js';
import { holdRow, testPostgresUrl, type RowHold } from '../support/row-hold.js';
import { untilDoneOrWaiting, untilHeldOrWaiting, watchLock, type LockWatch } from '../support/lock-watch.js';
import { testRedisUrl } from '../support/isolation.js';
import { until } from '../support/until.js';

const ADMIN = 9620;
const STAFF = 9621;
const QUESTION = 'Who owns the oven?';
const ANSWER = 'We do; my phone is 8 747 111 22 33.';
/** When the repair tick runs: the claims are a few minutes old, so taken as cut short. */
const LATER = new Date(NOW.getTime() + 5 * 60_000);
const outage = () => Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });

describe.skipIf(!testPostgresUrl())('attack: the repair pass finishing an answer, and "Delete my data" meanwhile', () => {
  let app: TestApp;
  let serial = 0;
  const grants = () => app.bot.services.grants;
  const applications = () => app.mongo.db!.collection('grantapplications');
  const decisions = () => app.mongo.db!.collection('grantdecisions');

  beforeAll(async () => {
    app = await createSceneHarness('atk_grant_finish_erased', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    await grants().init();
  }, 60_000);
  afterAll(async () => app?.close());

  /** An application staff asked about, its applicant's answer claimed: returns its reference. */
  async function askedApplication(userId: number): Promise<string> {
    serial += 1;
    const ref = await submitDirectly(grants(), userId, makeIin('870404', '4', serial * 11), { name: 'Aigerim Answering', idea: 'A bakery in the yard.' });
    expect((await grants().changeStatus(STAFF, ref, 'submitted', 'more-info', QUESTION)).result).toBe('changed');
    return ref;
  }

  /**
   * One run of the repair pass, as the repair tick of another process runs it, a few minutes on.
   * `beforeNotice`: run just before the pass queues the applicant's notice.
   */
  function repairPass(beforeNotice?: () => Promise<unknown>) {
    const delivery: DeliveryQueue = {
      async enqueue(jobs) {
        await beforeNotice?.();
        await app.delivery.enqueue(jobs);
      },
      cancel: (ids) => app.delivery.cancel(ids),
    };
    return new GrantsService(
      { connection: app.mongo, redis: app.redis, cipher: createDataCipher(app.config.DATA_KEY), config: app.config, i18n: app.bot.i18n, delivery, logger: app.bot.deps.logger, now: () => LATER },
      app.bot.services.audit,
    ).finishInterrupted();
  }

  /** Holds the row of the claim of history entry `position`: its writes wait until released. */
  const holdClaim = (ref: string, position: number): Promise<RowHold> =>
    holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'grantdecisions', '_id', decisionId(ref, position));

  /** Nothing of the applicant's answer or Telegram id is left, in the application or in the claims. */
  async function expectErased(ref: string, userId: number): Promise<void> {
    const application = (await applications().findOne({ ref }))!;
    expect(application).not.toHaveProperty('userId');
    for (const entry of application.history as Array<Record<string, unknown>>) {
      expect(entry).not.toHaveProperty('answer');
      expect(entry).not.toHaveProperty('answerEnc');
      expect(entry.by).not.toBe(userId);
    }
    const claims = await decisions().find({ ref, source: 'applicant' }).toArray();
    expect(claims).toHaveLength(1);
    for (const claim of claims) {
      expect(claim).not.toHaveProperty('answer');
      expect(claim).not.toHaveProperty('answerEnc');
      expect(claim.by).toBe(0);
    }
    // The phone in the answer, as written and as digits ("747" alone was found inside a random ObjectId).
    const stored = JSON.stringify([application, claims]);
    for (const phone of ['747 111 22 33', '7471112233']) expect(stored).not.toContain(phone);
  }

  it('an answer claimed but not written (the database went away): erased while the pass waits, it is not written into the application', async () => {
    const userId = 5301;
    const ref = await askedApplication(userId);
    // The answer is claimed, then the application's write fails: the claim stays pending.
    const write = vi.spyOn(grantApplicationModel(app.mongo), 'updateOne').mockRejectedValueOnce(outage());
    await expect(grants().answerMoreInfo(userId, ref, ANSWER)).rejects.toThrow('connection closed');
    write.mockRestore();
    expect(await decisions().findOne({ _id: decisionId(ref, 2) as never })).toMatchObject({ pending: true, by: userId });

    // "Delete my data" takes the answer out of the claim, under the application's lock, and its
    // write waits on the held row; the pass reads the claim as it still is, answer and all.
    const hold = await holdClaim(ref, 2);
    let erasing: Promise<unknown> = Promise.resolve();
    let repairing: Promise<number> = Promise.resolve(0);
    let watch: LockWatch | undefined;
    try {
      erasing = grants().eraseForUser(userId);
      expect(await hold.untilWaiting(1, 10_000)).toBe(1);
      watch = await watchLock(testRedisUrl(), `${app.config.REDIS_PREFIX}:grant:lock:${ref}`);
      repairing = repairPass();
      // The pass's read of the pending claims (a read is not held back); then it waits for the
      // lock (seen waiting: lock-watch.ts), or half a second passes.
      await untilDoneOrWaiting(repairing, watch, 500);
    } finally {
      watch?.stop();
      await hold.release();
    }
    await erasing;
    await repairing;

    // The answer still moved the application on, told by nobody: review resumes.
    const application = (await grants().get(ref))!;
    expect(application.status).toBe('in-review');
    expect(application.history.map((h) => h.status)).toEqual(['submitted', 'more-info', 'in-review']);
    await expectErased(ref, userId);
  });

  it('an answer written but its claim not marked finished (the queue was away): erased as the pass marks it, the mark does not bring the answer back', async () => {
    const userId = 5302;
    const ref = await askedApplication(userId);
    // Written into the application, then the notice could not be queued: the claim stays pending.
    const queue = vi.spyOn(app.delivery, 'enqueue').mockRejectedValueOnce(new Error('queue away'));
    await expect(grants().answerMoreInfo(userId, ref, ANSWER)).rejects.toThrow('queue away');
    queue.mockRestore();
    expect(await decisions().findOne({ _id: decisionId(ref, 2) as never })).toMatchObject({ pending: true, by: userId });

    // As the pass queues the notice, "Delete my data" begins: its write of the claim waits on the
    // held row. Then the pass marks the claim finished, from the claim as it read it.
    const hold = await holdClaim(ref, 2);
    let erasing: Promise<unknown> = Promise.resolve();
    let repairing: Promise<number> = Promise.resolve(0);
    const lock: { watch?: LockWatch } = {};
    try {
      repairing = repairPass(async () => {
        erasing = grants().eraseForUser(userId);
        expect(await hold.untilWaiting(1, 10_000)).toBe(1);
        // The application's lock (application-lock.ts), held by "Delete my data" from here on.
        lock.watch = await watchLock(testRedisUrl(), `${app.config.REDIS_PREFIX}:grant:lock:${ref}`);
      });
      await until('"Delete my data" held on the row', () => lock.watch !== undefined, 15_000, 10);
      // The pass's mark waits on the row too, unless it waits for the lock "Delete my data" holds
      // (seen waiting: lock-watch.ts).
      await untilHeldOrWaiting(hold, 2, lock.watch!, 2_000);
    } finally {
      lock.watch?.stop();
      await hold.release();
    }
    expect(await repairing).toBe(1);
    await erasing;

    await expectErased(ref, userId);
    expect((await decisions().findOne({ _id: decisionId(ref, 2) as never }))!).not.toHaveProperty('pending');
  });
});
