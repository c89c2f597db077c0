// GrantsService against the real FerretDB, with a second service on its own connection standing
// in for a second bot process. FerretDB lets several conditional updates of one document through
// at once, so these races are real here: only the unique indexes keep the records right.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { createTestApp, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { connectMongo } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { AuditService } from '../../src/services/audit.js';
import { GrantsService, type GrantSubmission } from '../../src/features/grant/grants.service.js';
import { grantDecisionModel } from '../../src/features/grant/grant-decision.model.js';
import { IDEA, makeIin, NOW } from '../grant/helpers.js';

const STAFF_A = 9101;
const STAFF_B = 9102;

describe('GrantsService under concurrency', () => {
  let app: TestApp;
  let other: Connection;
  let a: GrantsService;
  let b: GrantsService;
  let clock = NOW;
  const logs: string[] = [];
  let serial = 100;

  beforeAll(async () => {
    app = await createTestApp('grants_svc', { now: () => clock });
    other = await connectMongo(app.mongoUri);
    const logger = createLogger('debug', new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }));
    const deps = (connection: Connection) => ({
      connection,
      cipher: createDataCipher(app.config.DATA_KEY),
      config: app.config,
      i18n: app.bot.i18n,
      delivery: app.delivery,
      logger,
      now: () => clock,
    });
    a = new GrantsService(deps(app.mongo), new AuditService(deps(app.mongo)));
    b = new GrantsService(deps(other), new AuditService(deps(other)));
    await a.init();
    await b.init();
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  const delivery = () => app.delivery as RecordingDelivery;
  const audits = async (ref: string) => app.bot.services.audit.recent(50, { action: 'grant.status', target: `grant:${ref}` });

  function submission(user: number, overrides: Partial<GrantSubmission> = {}): GrantSubmission {
    serial += 1;
    return {
      userId: user, chatId: user, locale: 'en', submissionKey: `${user}-${serial}`, programme: 'grant', name: 'Aliya Sarsenbayeva',
      iin: makeIin('900515', '3', serial), phone: '+77011234567', region: 'astana', groups: ['large-family'], members: 6, children: 4,
      sector: 'textiles', idea: IDEA, amount: 1_000_000, mci: 4325, mciYear: 2026, certificateYear: 2025, ...overrides,
    };
  }

  async function submitted(user: number): Promise<string> {
    const result = await a.submit(submission(user));
    expect(result.result).toBe('created');
    return result.ref;
  }

  it('lets exactly one of several reviewers deciding at once win, and tells the applicant once', async () => {
    for (let round = 0; round < 5; round++) {
      const user = 500 + round;
      const ref = await submitted(user);
      const results = await Promise.all([
        a.changeStatus(STAFF_A, ref, 'submitted', 'approved'),
        b.changeStatus(STAFF_B, ref, 'submitted', 'rejected', 'The budget for this year is spent.'),
        a.changeStatus(STAFF_A, ref, 'submitted', 'in-review'),
        b.changeStatus(STAFF_B, ref, 'submitted', 'more-info', 'Where will the workshop be?'),
      ]);
      const winners = results.filter((r) => r.result === 'changed');
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.result === 'changed-meanwhile')).toHaveLength(3);
      const winner = winners[0] as { status: string };
      const record = (await a.get(ref))!;
      expect(record.status).toBe(winner.status);
      expect(record.history.map((h) => h.status)).toEqual(['submitted', winner.status]);
      expect((await audits(ref)).map((e) => (e.details as { to: string }).to)).toEqual([winner.status]);
      expect(delivery().jobs.filter((j) => j.id.startsWith(`gs-${ref}-`)).map((j) => j.id)).toEqual([`gs-${ref}-1`]);
    }
  });

  it('lets a reviewer and the applicant answering at once never both change the application', async () => {
    for (let round = 0; round < 4; round++) {
      const user = 600 + round;
      const ref = await submitted(user);
      expect((await a.changeStatus(STAFF_A, ref, 'submitted', 'more-info', 'Where will the workshop be?')).result).toBe('changed');
      const [answered, decided] = await Promise.all([
        b.answerMoreInfo(user, ref, 'At home, in a separate room.'),
        a.changeStatus(STAFF_A, ref, 'more-info', 'rejected', 'No answer was needed after all.'),
      ]);
      expect([answered === 'ok', decided.result === 'changed'].filter(Boolean)).toHaveLength(1);
      const record = (await a.get(ref))!;
      expect(record.history).toHaveLength(3);
      expect(record.status).toBe(answered === 'ok' ? 'in-review' : 'rejected');
    }
  });

  it('turns down a decision taken on an old view, even when the status came back to the same one', async () => {
    const user = 700;
    const ref = await submitted(user);
    await a.changeStatus(STAFF_A, ref, 'submitted', 'more-info', 'Where will the workshop be?');
    // Staff A opens the application now: "more information needed", 2 history entries.
    const seen = (await a.get(ref))!.history.length;
    expect(await a.answerMoreInfo(user, ref, 'At home.')).toBe('ok');
    await b.changeStatus(STAFF_B, ref, 'in-review', 'more-info', 'Which machines will you buy?');
    expect(await a.changeStatus(STAFF_A, ref, 'more-info', 'rejected', 'No answer came.', seen)).toEqual({ result: 'changed-meanwhile' });
    expect((await a.get(ref))!.status).toBe('more-info');
  });

  it('finishes a decision whose process stopped between claiming and writing it, once it is clearly abandoned', async () => {
    const user = 800;
    const ref = await submitted(user);
    // A claim as the first step of changeStatus writes it, and no application update after it.
    await grantDecisionModel(app.mongo).create({
      _id: `${ref}/1`, ref, position: 1, from: 'submitted', status: 'approved', at: clock, by: STAFF_A, source: 'staff',
    });
    expect(await b.changeStatus(STAFF_B, ref, 'submitted', 'rejected', 'Too late for this year.')).toEqual({ result: 'changed-meanwhile' });
    expect((await a.get(ref))!.status).toBe('submitted');

    clock = new Date(clock.getTime() + 2 * 60_000);
    expect(await b.changeStatus(STAFF_B, ref, 'submitted', 'rejected', 'Too late for this year.')).toEqual({ result: 'changed-meanwhile' });
    const record = (await a.get(ref))!;
    expect(record.status).toBe('approved');
    expect(record.history.map((h) => [h.status, h.by])).toEqual([['submitted', user], ['approved', STAFF_A]]);
    expect(delivery().jobs.find((j) => j.id === `gs-${ref}-1`)!.text).toContain('Approved');
    expect(await audits(ref)).toHaveLength(1);
  });

  it('keeps one open application per IIN and programme when two chats submit at once', async () => {
    const iin = makeIin('850301', '4', 901);
    const results = await Promise.all([
      a.submit(submission(901, { iin })),
      b.submit(submission(902, { iin })),
      a.submit(submission(903, { iin })),
      b.submit(submission(904, { iin })),
    ]);
    expect(results.filter((r) => r.result === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'duplicate')).toHaveLength(3);
    const ref = results.find((r) => r.result === 'created')!.ref;
    expect(results.every((r) => r.ref === ref)).toBe(true);
    // The other programme is a separate application.
    expect((await b.submit(submission(902, { iin, programme: 'microloan' }))).result).toBe('created');
  });

  it('makes one application of the same form submitted twice at once, and distinct numbers for many at once', async () => {
    const same = submission(950);
    const twice = await Promise.all([a.submit(same), b.submit(same), a.submit(same)]);
    expect(new Set(twice.map((r) => r.ref)).size).toBe(1);
    expect(twice.filter((r) => r.result === 'created')).toHaveLength(1);
    expect(await a.listForUser(950)).toHaveLength(1);

    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).submit(submission(960 + i))));
    expect(many.every((r) => r.result === 'created')).toBe(true);
    expect(new Set(many.map((r) => r.ref)).size).toBe(12);
    for (const r of many) expect(r.ref).toMatch(/^KMK-2026-\d{6}$/);
  });

  it('lets the same IIN apply again once the application is decided', async () => {
    const iin = makeIin('780710', '3', 990);
    const first = await a.submit(submission(990, { iin }));
    expect((await a.submit(submission(990, { iin }))).result).toBe('duplicate');
    await a.changeStatus(STAFF_A, first.ref, 'submitted', 'rejected', 'The idea does not fit the programme.');
    const again = await b.submit(submission(990, { iin }));
    expect(again.result).toBe('created');
    expect(again.ref).not.toBe(first.ref);
  });

  it('erases the applicant from decisions too, and keeps no IIN or phone in clear text in any collection or log', async () => {
    const user = 995;
    const ref = await submitted(user);
    await a.changeStatus(STAFF_A, ref, 'submitted', 'more-info', 'Where will the workshop be?');
    await a.answerMoreInfo(user, ref, 'At home, in a separate room.');
    await a.eraseForUser(user);
    const raw = await app.mongo.db!.collection('grantapplications').findOne({ ref });
    expect(raw!.submissionKey).toBe(`erased.${ref}`);
    expect(raw!.history.map((h: { by: number }) => h.by)).toEqual([0, STAFF_A, 0]);
    for (const gone of ['userId', 'chatId', 'name', 'phoneEnc', 'idea']) expect(raw).not.toHaveProperty(gone);
    const decisions = await app.mongo.db!.collection('grantdecisions').find({ ref }).sort({ position: 1 }).toArray();
    expect(decisions.map((d) => [d.by, d.answer])).toEqual([[STAFF_A, undefined], [0, undefined]]);

    const everything = [logs.join('\n')];
    for (const name of ['grantapplications', 'grantdecisions', 'auditlogs', 'counters']) {
      everything.push(JSON.stringify(await app.mongo.db!.collection(name).find({}).toArray()));
    }
    const text = everything.join('\n');
    expect(logs.join('')).toContain('grant application submitted');
    for (let s = 101; s <= serial; s++) expect(text).not.toContain(makeIin('900515', '3', s));
    expect(text).not.toContain('7011234567');
  });
});
