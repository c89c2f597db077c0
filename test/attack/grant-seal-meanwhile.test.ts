// The repair pass that seals the free texts older applications hold in the clear (free-text.ts)
// reads a batch, then writes each record. What others write to the same record meanwhile must
// stand: a reviewer's decision, and an applicant's "Delete my data" (the sealed copy of an idea
// or an answer just erased must not be written back).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { grantApplicationModel } from '../../src/features/grant/grant-application.model.js';
import { grantDecisionModel } from '../../src/features/grant/grant-decision.model.js';
import { GrantsService } from '../../src/features/grant/grants.service.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { makeIin, NOW, submitDirectly } from '../grant/helpers.js';
import { holdRow, testPostgresUrl } from '../support/row-hold.js';
import { untilDoneOrWaiting, untilHeldOrWaiting, watchLock, type LockWatch } from '../support/lock-watch.js';
import { testRedisUrl } from '../support/isolation.js';

const ADMIN = 962;
const STAFF = 963;
const IDEA = 'A bakery in the yard; my husband\'s IIN is 850301400771.';
const QUESTION = 'Who owns the oven? Call 8 707 555 12 34.';
const ANSWER = 'We do, the receipt is attached; my phone is 8 747 111 22 33.';
const DECISION = 'Approved: the premises are checked, IIN 900515300123 matches.';

describe('attack: the sealing pass and what is written to the same application meanwhile', () => {
  let app: TestApp;
  let serial = 0;
  const grants = () => app.bot.services.grants;
  const applications = () => app.mongo.db!.collection('grantapplications');
  const decisions = () => app.mongo.db!.collection('grantdecisions');

  beforeAll(async () => {
    app = await createSceneHarness('atk_grant_seal_meanwhile', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    await grants().init();
  }, 60_000);
  afterAll(async () => app?.close());

  /** An application asked for more information and answered, with its texts in the clear as an older version wrote them. */
  async function olderApplication(userId: number): Promise<string> {
    serial += 1;
    const ref = await submitDirectly(grants(), userId, makeIin('880808', '4', serial * 7), { name: 'Gulnara Older', idea: IDEA });
    expect((await grants().changeStatus(STAFF, ref, 'submitted', 'more-info', QUESTION)).result).toBe('changed');
    expect(await grants().answerMoreInfo(userId, ref, ANSWER)).toBe('ok');
    await applications().updateOne(
      { ref },
      { $set: { idea: IDEA, 'history.1.comment': QUESTION, 'history.2.answer': ANSWER }, $unset: { ideaEnc: 1, 'history.1.commentEnc': 1, 'history.2.answerEnc': 1 } },
    );
    await decisions().updateOne({ ref, source: 'applicant' }, { $set: { answer: ANSWER }, $unset: { answerEnc: 1 } });
    return ref;
  }

  /** Runs `meanwhile` once the pass has read the records, before its first write to `collection`. */
  function beforeTheSealingWrite(collection: 'applications' | 'decisions', ref: string, meanwhile: () => Promise<unknown>) {
    const model = collection === 'applications' ? grantApplicationModel(app.mongo) : grantDecisionModel(app.mongo);
    // Only the call's timing changes: the write itself goes to the database as it was made.
    const target = model as unknown as { updateOne: (...args: unknown[]) => PromiseLike<unknown> };
    const real = target.updateOne.bind(target);
    let ran: Promise<unknown> = Promise.resolve();
    const spy = vi.spyOn(target, 'updateOne').mockImplementationOnce(async (...args: unknown[]) => {
      spy.mockRestore();
      // The pass holds the application's lock (application-lock.ts) for this write.
      const watch = await watchLock(testRedisUrl(), `${app.config.REDIS_PREFIX}:grant:lock:${ref}`);
      try {
        ran = meanwhile();
        // Done at once, unless it waits for this write (then given until it is seen waiting for
        // the lock, at most 500 ms, and awaited by `done`).
        await untilDoneOrWaiting(ran, watch, 500);
      } finally {
        watch.stop();
      }
      return real(...args);
    });
    return { restore: () => spy.mockRestore(), done: () => ran };
  }

  /**
   * One run of the sealing pass, as a repair tick runs it (a service of its own, as in another
   * process: the bot's own stops looking once a pass found nothing left, and these tests write
   * older records after that).
   */
  const sealingPass = () =>
    new GrantsService(
      { connection: app.mongo, redis: app.redis, cipher: createDataCipher(app.config.DATA_KEY), config: app.config, i18n: app.bot.i18n, delivery: app.delivery, logger: app.bot.deps.logger, now: () => NOW },
      app.bot.services.audit,
    ).sealOlderTexts();

  it('a decision saved between the pass\'s read and its write stands; its comment and the older texts are sealed', async () => {
    const ref = await olderApplication(5101);
    const hook = beforeTheSealingWrite('applications', ref, () => grants().changeStatus(STAFF, ref, 'in-review', 'approved', DECISION));
    try {
      await sealingPass();
    } finally {
      hook.restore();
    }
    await hook.done();
    const record = (await grants().get(ref))!;
    expect(record.status).toBe('approved');
    expect(record.history.map((h) => h.status)).toEqual(['submitted', 'more-info', 'in-review', 'approved']);
    expect(record.history[3]!.comment).toBe(DECISION);
    // The pass comes round again and seals what it left.
    while ((await sealingPass()) > 0);
    const stored = JSON.stringify([await applications().findOne({ ref }), await decisions().find({ ref }).toArray()]);
    for (const clear of ['bakery', 'oven', 'receipt', 'premises']) expect(stored).not.toContain(clear);
    expect([record.idea, record.history[1]!.comment, record.history[2]!.answer]).toEqual([IDEA, QUESTION, ANSWER]);
  });

  it('"Delete my data" between the pass\'s read and its write: the erased idea and answer are not written back sealed', async () => {
    const ref = await olderApplication(5102);
    const hook = beforeTheSealingWrite('applications', ref, () => grants().eraseForUser(5102));
    try {
      await sealingPass();
    } finally {
      hook.restore();
    }
    await hook.done();
    while ((await sealingPass()) > 0);
    const application = (await applications().findOne({ ref }))!;
    for (const gone of ['idea', 'ideaEnc', 'userId']) expect(application).not.toHaveProperty(gone);
    for (const entry of application.history as Array<Record<string, unknown>>) {
      expect(entry).not.toHaveProperty('answer');
      expect(entry).not.toHaveProperty('answerEnc');
    }
    for (const decision of await decisions().find({ ref, source: 'applicant' }).toArray()) {
      expect(decision).not.toHaveProperty('answer');
      expect(decision).not.toHaveProperty('answerEnc');
    }
    // The reviewer's question is staff's words: kept, sealed.
    expect((await grants().get(ref))!.history[1]!.comment).toBe(QUESTION);
  });

  it('"Delete my data" between the pass\'s read of a decision and its write: the erased answer is not written back sealed', async () => {
    const ref = await olderApplication(5103);
    // The application's own texts are sealed already; only the decision's copy of the answer is in the clear.
    await sealingPass();
    await decisions().updateOne({ ref, source: 'applicant' }, { $set: { answer: ANSWER }, $unset: { answerEnc: 1 } });
    const hook = beforeTheSealingWrite('decisions', ref, () => grants().eraseForUser(5103));
    try {
      await sealingPass();
    } finally {
      hook.restore();
    }
    await hook.done();
    for (const decision of await decisions().find({ ref, source: 'applicant' }).toArray()) {
      expect(decision).not.toHaveProperty('answer');
      expect(decision).not.toHaveProperty('answerEnc');
      expect(decision.by).toBe(0);
    }
  });

  it.skipIf(!testPostgresUrl())('a decision written as the pass writes the same application (FerretDB writes the whole document it read a moment before): the decision stands', async () => {
    const ref = await olderApplication(5200);
    // Both writes read the application before either is written: the row held, the decision's
    // write waits first, then the pass's (unless the pass waits for the decision to be written).
    const hold = await holdRow(testPostgresUrl()!, app.mongo.db!.databaseName, 'grantapplications', 'ref', ref);
    let decision: Promise<unknown> = Promise.resolve();
    let sealing: Promise<number> = Promise.resolve(0);
    let watch: LockWatch | undefined;
    try {
      decision = grants().changeStatus(STAFF, ref, 'in-review', 'approved', DECISION);
      expect(await hold.untilWaiting(1, 10_000)).toBe(1);
      // The application's lock (application-lock.ts): the pass seen waiting for it ends the hold.
      watch = await watchLock(testRedisUrl(), `${app.config.REDIS_PREFIX}:grant:lock:${ref}`);
      sealing = sealingPass();
      await untilHeldOrWaiting(hold, 2, watch, 1_000);
    } finally {
      watch?.stop();
      await hold.release();
    }
    expect(await decision).toMatchObject({ result: 'changed' });
    await sealing;
    const record = (await grants().get(ref))!;
    expect(record.status).toBe('approved');
    expect(record.history.map((h) => h.status)).toEqual(['submitted', 'more-info', 'in-review', 'approved']);
    expect(record.history[3]!.comment).toBe(DECISION);
    while ((await sealingPass()) > 0);
    const stored = JSON.stringify(await applications().findOne({ ref }));
    for (const clear of ['bakery', 'oven', 'receipt', 'premises']) expect(stored).not.toContain(clear);
  });
});
