// "Delete my data" stopped half-way (the database went away) and run again, as the chat's
// mailbox retries the update: nothing of the applicant may be left behind, and the reply still
// names every application that is kept.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { GrantDecisions } from '../../src/features/grant/grant-decisions.js';
import { fillApplication, IIN, NOW } from '../grant/helpers.js';

const STAFF = 960;
const APPLICANT = 411;
const outage = () => Object.assign(new Error('FerretDB is not answering'), { code: 'ECONNRESET' });

describe('grant: "delete my data" run again after a failure', () => {
  let app: TestApp;
  let refs: string[];
  let clock = NOW.getTime();

  beforeAll(async () => {
    app = await createSceneHarness('attack_grant_erase', { now: () => new Date(clock), adminIds: [STAFF] });
    await onboard(app, APPLICANT);
    await fillApplication(app, APPLICANT, { iin: IIN.adultA });
    // A form is known by its start time: the second one starts a minute later.
    clock += 60_000;
    await fillApplication(app, APPLICANT, { iin: IIN.adultA, type: '2', amount: '5 000 000' });
    refs = (await app.bot.services.grants.listForUser(APPLICANT)).map((r) => r.ref);
    expect(refs).toHaveLength(2);
    for (const ref of refs) {
      await app.bot.services.grants.changeStatus(STAFF, ref, 'submitted', 'more-info', 'Where will the workshop be?');
      expect(await app.bot.services.grants.answerMoreInfo(APPLICANT, ref, 'In our house, Abay street 5, flat 12.')).toBe('ok');
    }
  });
  afterAll(async () => app?.close());

  it('leaves no answer or Telegram id in the decisions when the first try stopped before them', async () => {
    const spy = vi.spyOn(GrantDecisions.prototype, 'eraseApplicant').mockRejectedValueOnce(outage());
    await expect(app.bot.services.grants.eraseForUser(APPLICANT)).rejects.toThrow('FerretDB');
    spy.mockRestore();

    const kept = await app.bot.services.grants.eraseForUser(APPLICANT);
    expect(kept.sort()).toEqual([...refs].sort());
    const decisions = await app.mongo.db!.collection('grantdecisions').find({ ref: { $in: refs }, source: 'applicant' }).toArray();
    expect(decisions).toHaveLength(2);
    for (const decision of decisions) {
      expect(decision).not.toHaveProperty('answer');
      expect(decision.by).toBe(0);
    }
    for (const ref of refs) {
      const raw = await app.mongo.db!.collection('grantapplications').findOne({ ref });
      for (const gone of ['name', 'phoneEnc', 'idea', 'userId', 'chatId']) expect(raw).not.toHaveProperty(gone);
      expect(raw!.history.some((h: { answer?: string; by: number }) => h.answer !== undefined || h.by === APPLICANT)).toBe(false);
    }
  });
});
