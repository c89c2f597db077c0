// InquiriesService against the real FerretDB under a burst, with a second service on its own
// connection standing in for a second bot process: numbers stay unique, the open limit holds,
// a repeated submit finds the first inquiry, and a message handled twice is stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mongoose';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { connectMongo } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { createDataCipher } from '../../src/security/crypto.js';
import { AuditService } from '../../src/services/audit.js';
import { InquiriesService, type NewInquiry } from '../../src/features/inquiries/inquiries.service.js';

describe('InquiriesService under a burst', () => {
  let app: TestApp;
  let other: Connection;
  let a: InquiriesService;
  let b: InquiriesService;

  beforeAll(async () => {
    app = await createSceneHarness('inquiries_svc');
    other = await connectMongo(app.mongoUri);
    const deps = (connection: Connection) => ({
      connection,
      redis: app.redis,
      cipher: createDataCipher(app.config.DATA_KEY),
      config: app.config,
      i18n: app.bot.i18n,
      delivery: app.delivery,
      logger: createLogger('silent'),
      now: () => new Date(),
    });
    a = new InquiriesService(deps(app.mongo), new AuditService(deps(app.mongo)));
    b = new InquiriesService(deps(other), new AuditService(deps(other)));
  });
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  const ask = (userId: number, key: string): NewInquiry => ({
    userId, chatId: userId, locale: 'ru', topic: 'rehab', text: `Вопрос ${key}`, submissionKey: `${userId}.${key}`,
  });

  it('thirty people asking at once from two processes get thirty different numbers', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).create(ask(20_000 + i, 'x'))));
    const refs = results.map((r) => (r.result === 'created' ? r.ref : `not created: ${r.result}`));
    expect(new Set(refs).size).toBe(30);
    for (const ref of refs) expect(ref).toMatch(/^Q-\d{4}-\d{6}$/);
  });

  it('one person sending many questions at once from two processes opens no more than the limit', async () => {
    const userId = 21_000;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).create(ask(userId, `burst-${i}`))));
    const created = results.filter((r) => r.result === 'created');
    expect(created).toHaveLength(app.config.INQUIRY_MAX_OPEN);
    expect(results.filter((r) => r.result === 'limit')).toHaveLength(8 - app.config.INQUIRY_MAX_OPEN);
    expect((await a.listForUser(userId)).filter((i) => i.status !== 'closed')).toHaveLength(app.config.INQUIRY_MAX_OPEN);
    // Closing one frees one place, and only one.
    const first = created[0]!;
    if (first.result !== 'created') throw new Error('unreachable');
    expect(await a.close(first.ref, 1)).toBe(true);
    expect(await b.close(first.ref, 1)).toBe(false);
    const again = await Promise.all([a.create(ask(userId, 'after-1')), b.create(ask(userId, 'after-2'))]);
    expect(again.filter((r) => r.result === 'created')).toHaveLength(1);
  });

  it('the same form sent twice at once, and a follow-up handled twice, are kept once', async () => {
    const userId = 22_000;
    const [one, two] = await Promise.all([a.create(ask(userId, 'same')), b.create(ask(userId, 'same'))]);
    expect(one.result === 'limit' || two.result === 'limit').toBe(false);
    const refOne = one.result === 'limit' ? '' : one.ref;
    const refTwo = two.result === 'limit' ? '' : two.ref;
    expect(refOne).toBe(refTwo);
    expect(await a.listForUser(userId)).toHaveLength(1);
    const followUp = { text: 'Ещё одно', chatId: userId, messageId: 77 };
    expect(await a.addCitizenMessage(refOne, userId, followUp)).toBe(true);
    expect(await b.addCitizenMessage(refOne, userId, followUp)).toBe(true);
    // Someone else's question cannot be added to.
    expect(await a.addCitizenMessage(refOne, userId + 1, { text: 'чужое', chatId: userId + 1, messageId: 1 })).toBe(false);
    const stored = (await a.get(refOne))!;
    expect(a.messages(stored).map((m) => m.text)).toEqual(['Вопрос same', 'Ещё одно']);
    expect(await app.bot.services.audit.recent(10, { target: `inquiry:${refOne}`, action: 'inquiry.citizen-message' })).toHaveLength(1);
  });

  it('citizen and operator writing at the same moment from two processes: no message is lost, the first answer time and a take survive', async () => {
    const userId = 23_000;
    const created = await a.create(ask(userId, 'busy'));
    if (created.result !== 'created') throw new Error('not created');
    const { ref } = created;
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).addCitizenMessage(ref, userId, { text: `citizen ${i}`, chatId: userId, messageId: 100 + i })),
      ...Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).addOperatorMessage(ref, 9000 + i, { text: `operator ${i}`, chatId: -100, messageId: 200 + i })),
      b.take(ref, 9000),
    ]);
    const stored = (await a.get(ref))!;
    expect(a.messages(stored)).toHaveLength(17);
    expect(stored.takenBy).toBe(9000);
    expect(stored.status).toBe('answered');
    expect(stored.firstAnsweredAt).toBeDefined();
  });

  it('"delete my data" takes the person off the audit lines they wrote as a citizen, and leaves staff lines as they were', async () => {
    const userId = 24_000;
    const operator = 9100;
    const created = await a.create(ask(userId, 'erase'));
    if (created.result !== 'created') throw new Error('not created');
    const { ref } = created;
    await a.addCitizenMessage(ref, userId, { text: 'ещё', chatId: userId, messageId: 5 });
    await a.addOperatorMessage(ref, operator, { text: 'ответ', chatId: -100, messageId: 6 });
    await a.close(ref, operator);
    await a.rate(userId, ref, 5);
    const lines = () => app.bot.services.audit.recent(50, { target: `inquiry:${ref}` });
    expect((await lines()).filter((l) => l.actorId === userId).map((l) => l.action).sort()).toEqual(['inquiry.citizen-message', 'inquiry.open', 'inquiry.rate']);

    expect(await b.eraseForUser(userId)).toEqual([ref]);

    const after = await lines();
    expect(after.filter((l) => l.actorId === userId)).toEqual([]);
    // What happened is still there, without who asked; the operator's own lines keep their name.
    expect(after.filter((l) => l.actorId === 0).map((l) => l.action).sort()).toEqual(['inquiry.citizen-message', 'inquiry.open', 'inquiry.rate']);
    expect(after.filter((l) => l.actorId === operator).map((l) => l.action).sort()).toEqual(['inquiry.close', 'inquiry.relay']);
    const erasure = await app.bot.services.audit.recent(50, { action: 'inquiry.erase' });
    expect(JSON.stringify(erasure)).not.toContain(String(userId));
    expect(erasure.some((l) => (l.details as { count?: number } | undefined)?.count === 1)).toBe(true);
  });
});
