// The grant CSV export as a job (BullMQ on the test Redis), the way a staff member meets it: the
// tap answers at once, the file comes later, and what the member may see is decided when the job
// runs, not when they tapped. The worker is started by the test, so "between the tap and the run"
// can be played exactly.
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { Worker } from 'bullmq';
import { createGrantExportQueue, EXPORT_DEATHS_ALLOWED, GRANT_EXPORT_QUEUE_NAME, grantExportJobId, requestGrantExport, type GrantExportQueue } from '../../src/delivery/grant-export-queue.js';
import { startGrantExportHooks } from '../../src/features/grant/export-delivery.js';
import { createLogger } from '../../src/logger.js';
import { CSV_COLUMNS } from '../../src/features/grant/grant-export.js';
import { startRestartableFerret } from '../support/restartable.js';
import { fillApplication, IIN, NOW, parseCsv, refIn } from './helpers.js';
import type { MessageState } from '../../src/platform/bot-api/index.js';
import { until } from '../support/until.js';

const ADMIN = 950;
const PREPARING = 'I am preparing the file with the applications';
const STILL_PREPARING = 'Your previous export is still being prepared';
const WITHDRAWN = 'You no longer have access to the applications export';
const FAILED = 'I could not prepare the file with the applications';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ExportRig {
  app: TestApp;
  queue: GrantExportQueue;
  /** Starts the export worker (as the bot process runs it); stopped after each test. */
  startWorker(): void;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** A test app whose export requests go to a real queue, with the worker under the test's control. */
async function exportRig(name: string, options: Parameters<typeof createTestApp>[1] = {}): Promise<ExportRig> {
  const delivery = new RecordingDelivery();
  let queue: GrantExportQueue | undefined;
  delivery.exportGrants = (request) => requestGrantExport(queue!, request);
  const app = await createTestApp(name, { now: () => NOW, adminIds: [ADMIN], delivery, ...options });
  queue = createGrantExportQueue({ redisUrl: app.config.REDIS_URL, prefix: app.config.REDIS_PREFIX, attempts: app.config.EXPORT_ATTEMPTS, retryBaseMs: app.config.EXPORT_RETRY_BASE_MS });
  let worker: { close(): Promise<void> } | undefined;
  const stopWorker = async () => {
    await worker?.close();
    worker = undefined;
  };
  return {
    app,
    queue,
    startWorker() {
      worker ??= startGrantExportHooks({ config: app.config, redis: app.redis, services: app.bot.services, i18n: app.bot.i18n, api: app.bot.runtime.api, logger: app.bot.deps.logger, now: () => NOW });
    },
    stopWorker,
    async close() {
      await stopWorker();
      await queue.close();
      await app.close();
    },
  };
}

async function tapExport(app: TestApp, chat: number, fullAsAdmin = false): Promise<string> {
  app.drain(chat);
  await app.command(chat, 'menu');
  await app.tapLike(chat, 'Staff');
  await app.tapLike(chat, 'Export applications');
  if (fullAsAdmin) await app.say(chat, 'In full');
  return app.drain(chat).join('\n');
}

/**
 * Until the export queue holds nothing waiting, running or due for a retry: the file is sent
 * inside the job, so after this no further file can come (what a fixed pause only hoped for).
 */
async function untilExportsSettled(queue: GrantExportQueue): Promise<void> {
  await until('the export queue to settle', async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).every((n) => n === 0);
  }, 20_000, 50);
}

function documentsTo(app: TestApp, chat: number): MessageState[] {
  return app.api.messagesTo(chat).filter((m) => m.document);
}

/** Waits until the chat holds more than `before` files (a failed send is recorded as a call, not a message). */
async function nextDocument(app: TestApp, chat: number, before: number, timeoutMs = 20_000): Promise<MessageState> {
  const deadline = Date.now() + timeoutMs;
  while (documentsTo(app, chat).length <= before) {
    if (Date.now() > deadline) throw new Error(`no file for chat ${chat} within ${timeoutMs} ms`);
    await sleep(50);
  }
  return documentsTo(app, chat).at(-1)!;
}

function rowsOf(file: MessageState): Record<string, string>[] {
  const [header, ...rows] = parseCsv(file.document!.content.slice(1));
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i]!])));
}

describe('the grant export job', () => {
  let rig: ExportRig;
  let app: TestApp;
  let refs: { astana: string; karaganda: string };

  beforeAll(async () => {
    // A short first back-off (test-only): the Telegram retry below waits 200 ms, not 2 s.
    rig = await exportRig('grant_export_job', { env: { EXPORT_RETRY_BASE_MS: '200' } });
    app = rig.app;
    await onboard(app, 3001);
    await onboard(app, 3002);
    refs = {
      astana: refIn(await fillApplication(app, 3001, { iin: IIN.adultC, region: 'Астана' })),
      karaganda: refIn(await fillApplication(app, 3002, { iin: IIN.adultD, region: 'Караганда' })),
    };
    await onboard(app, ADMIN);
  }, 120_000);
  afterEach(async () => rig.stopWorker());
  afterAll(async () => rig?.close());

  it('answers the tap at once; two taps in a row make one export, and the file comes from the job', async () => {
    const chat = 3101;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    expect(await tapExport(app, chat)).toContain(PREPARING);
    expect(await tapExport(app, chat)).toContain(STILL_PREPARING);
    expect(documentsTo(app, chat)).toHaveLength(0);

    rig.startWorker();
    const file = await nextDocument(app, chat, 0);
    expect(file.text).toContain('Applications: 2. Names, IINs and phone numbers are masked.');
    await untilExportsSettled(rig.queue);
    expect(documentsTo(app, chat)).toHaveLength(1);
    const audit = (await app.bot.services.audit.recent(50, { action: 'grant.export' })).filter((e) => e.actorId === chat);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ count: 2, masked: true, regions: 'all' });

    // Once the file is out, the member may ask again.
    expect(await tapExport(app, chat)).toContain(PREPARING);
    await nextDocument(app, chat, 1);
  });

  it('sends no file to a member whose access was withdrawn between the tap and the run, says so, and audits the refusal', async () => {
    const chat = 3102;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    expect(await tapExport(app, chat)).toContain(PREPARING);
    expect(await app.bot.services.staff.revoke(ADMIN, chat)).toBe(true);

    rig.startWorker();
    await app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === chat && String(call.payload.text).includes(WITHDRAWN), 20_000);
    await untilExportsSettled(rig.queue);
    expect(documentsTo(app, chat)).toHaveLength(0);
    const denied = await app.bot.services.audit.recent(50, { action: 'access.denied' });
    expect(denied.some((e) => e.actorId === chat && e.target === 'grant-export' && (e.details as { stage?: string }).stage === 'job')).toBe(true);
    const exported = await app.bot.services.audit.recent(50, { action: 'grant.export' });
    expect(exported.some((e) => e.actorId === chat)).toBe(false);
  });

  it('holds a reviewer to their regions as they are when the job runs', async () => {
    const chat = 3103;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: ['astana', 'karaganda'], topics: null });
    expect(await tapExport(app, chat)).toContain(PREPARING);
    // Karaganda is taken from them before the job runs.
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: ['astana'], topics: null });

    rig.startWorker();
    const rows = rowsOf(await nextDocument(app, chat, 0));
    expect(rows.map((r) => r.ref)).toEqual([refs.astana]);
    expect(rows.every((r) => r.region === 'astana')).toBe(true);
    const audit = (await app.bot.services.audit.recent(50, { action: 'grant.export' })).find((e) => e.actorId === chat)!;
    expect(audit.details).toMatchObject({ count: 1, masked: true, regions: ['astana'] });
  });

  it('never gives full data to someone who is not an admin when the job runs', async () => {
    const chat = 3104;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['admin'], regions: null, topics: null });
    expect(await tapExport(app, chat, true)).toContain(PREPARING);
    // Made a reviewer (every region) after asking for the full file.
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    // A request forged to ask for full data, from a reviewer who never was an admin.
    const forged = 3105;
    await onboard(app, forged);
    await app.bot.services.users.makeStaff(forged, forged, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await requestGrantExport(rig.queue, { requestId: 'forged-1', userId: forged, chatId: forged, locale: 'en', full: true });

    rig.startWorker();
    for (const id of [chat, forged]) {
      const file = await nextDocument(app, id, 0);
      expect(file.text).toContain('are masked');
      expect(file.document!.filename).toMatch(/-masked\.csv$/);
      const rows = rowsOf(file);
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain(IIN.adultC);
      expect(JSON.stringify(rows)).not.toContain(IIN.adultD);
      const audit = (await app.bot.services.audit.recent(50, { action: 'grant.export' })).find((e) => e.actorId === id)!;
      expect(audit.details).toMatchObject({ masked: true });
    }
  });

  it('gives an admin the full file only when they ask for it', async () => {
    expect(await tapExport(app, ADMIN, true)).toContain(PREPARING);
    rig.startWorker();
    const file = await nextDocument(app, ADMIN, 0);
    expect(file.text).toContain('Full personal data');
    const rows = rowsOf(file);
    expect(rows.find((r) => r.ref === refs.astana)!.iin).toBe(IIN.adultC);
  });

  it('retries when Telegram fails for a moment, and sends the file once', async () => {
    const chat = 3106;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await tapExport(app, chat);
    app.api.failNext('sendDocument', 502, 'Bad Gateway');
    rig.startWorker();
    await nextDocument(app, chat, 0, 30_000);
    await untilExportsSettled(rig.queue);
    expect(documentsTo(app, chat)).toHaveLength(1);
    expect(app.drain(chat).some((t) => t.includes(FAILED))).toBe(false);
    // Audited once, though the job ran twice.
    const audit = (await app.bot.services.audit.recent(50, { action: 'grant.export' })).filter((e) => e.actorId === chat);
    expect(audit).toHaveLength(1);
  });

  it.each([
    ['Қазақша', 3110, 'Өтініштер файлын дайындап жатырмын', 'Алдыңғы жүктеуіңіз әлі дайындалып жатыр', 'Өтініштер: 2.', 'рұқсатыңыз жоқ'],
    ['Русский', 3111, 'Готовлю файл с заявками', 'Ваша предыдущая выгрузка ещё готовится', 'Заявок: 2.', 'больше нет доступа к выгрузке заявок'],
    ['English', 3112, PREPARING, STILL_PREPARING, 'Applications: 2.', WITHDRAWN],
  ] as const)('speaks %s: queued, still in progress, the file, and a withdrawn access', async (language, chat, queued, inFlight, caption, withdrawn) => {
    await onboard(app, chat, language);
    await app.bot.services.users.makeStaff(chat, chat, language === 'English' ? 'en' : language === 'Русский' ? 'ru' : 'kk', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    const tap = async () => {
      await app.send(app.api.callback(chat, 'm:grant-export', undefined, { enqueue: false }));
      return app.drain(chat).join('\n');
    };
    expect(await tap()).toContain(queued);
    expect(await tap()).toContain(inFlight);
    rig.startWorker();
    expect((await nextDocument(app, chat, 0)).text).toContain(caption);
    await rig.stopWorker();
    expect(await tap()).toContain(queued);
    await app.bot.services.staff.revoke(ADMIN, chat);
    rig.startWorker();
    await app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === chat && String(call.payload.text).includes(withdrawn), 20_000);
  });

  it('reads the applications a batch at a time, in the order they were stored, and by region', async () => {
    const batches: string[][] = [];
    for await (const batch of app.bot.services.grants.exportBatches(null, 1)) batches.push(batch.map((r) => r.ref));
    expect(batches).toEqual([[refs.astana], [refs.karaganda]]);
    const karaganda: string[][] = [];
    for await (const batch of app.bot.services.grants.exportBatches(['karaganda'], 1)) karaganda.push(batch.map((r) => r.ref));
    expect(karaganda).toEqual([[refs.karaganda]]);
  });

  it('tells the requester when the file cannot be sent at all', async () => {
    const chat = 3107;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await tapExport(app, chat);
    app.api.failNext('sendDocument', 400, 'Bad Request: file is too big');
    rig.startWorker();
    await app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === chat && String(call.payload.text).includes(FAILED), 20_000);
    expect(documentsTo(app, chat)).toHaveLength(0);
    // The failed job does not block the next request.
    expect(await tapExport(app, chat)).toContain(PREPARING);
  });

  it('tells the requester, and stops trying, when the export stops its process every time it runs', async () => {
    const chat = 3108;
    await onboard(app, chat);
    await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
    await tapExport(app, chat);
    // Each "process" takes the job and dies with it (its lock is never renewed again): the next
    // one's stalled check hands the job on, as it would after a SIGKILL. Their stalled limit is
    // the export worker's own, so BullMQ's silent failure would come first if it could.
    const connection = { url: app.config.REDIS_URL, maxRetriesPerRequest: null };
    // The earlier tests' worker (a 30 s lock) left BullMQ's stalled-check throttle for 30 s: the
    // dying workers' checks would wait it out. Cleared, as if that worker had stopped long ago.
    await app.redis.del(rig.queue.keys['stalled-check']!);
    for (let death = 1; death <= EXPORT_DEATHS_ALLOWED + 1; death += 1) {
      let took!: () => void;
      const taken = new Promise<void>((resolve) => (took = resolve));
      const dying = new Worker(GRANT_EXPORT_QUEUE_NAME, () => {
        took();
        return new Promise<never>(() => undefined);
      }, { prefix: app.config.REDIS_PREFIX, connection, lockDuration: 250, stalledInterval: 150, maxStalledCount: EXPORT_DEATHS_ALLOWED + 1 });
      // Closed even when the wait fails: the delivery layer's files share a process, and a
      // worker left running would go on checking this queue during the next file.
      try {
        await taken;
      } finally {
        await dying.close(true);
      }
    }
    // The next start finds the dead ones counted: the requester is told, nothing is run or sent.
    const checker = new Worker(GRANT_EXPORT_QUEUE_NAME, null, { prefix: app.config.REDIS_PREFIX, connection, stalledInterval: 150, maxStalledCount: EXPORT_DEATHS_ALLOWED + 1, autorun: false });
    try {
      void checker.startStalledCheckTimer();
      rig.startWorker();
      await app.api.waitFor((call) => call.method === 'sendMessage' && Number(call.payload.chat_id) === chat && String(call.payload.text).includes(FAILED), 20_000);
    } finally {
      await checker.close();
    }
    expect(documentsTo(app, chat)).toHaveLength(0);
    const job = await rig.queue.getJob(grantExportJobId(chat));
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toContain('stopped its process too often');
    expect((await app.bot.services.audit.recent(50, { action: 'grant.export' })).filter((e) => e.actorId === chat)).toEqual([]);
  });
});

describe('the grant export job with the database stopped while it runs', () => {
  it('is retried with back-off and delivers the file once the database is back', async () => {
    const ferret = await startRestartableFerret();
    const lines: string[] = [];
    const logger = createLogger('debug', new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } }));
    const rig = await exportRig('grant_export_db', {
      mongoUri: `${ferret.url}komek_export_outage`,
      logger,
      env: { EXPORT_RETRY_BASE_MS: '200', EXPORT_ATTEMPTS: '30' },
    });
    const { app } = rig;
    try {
      await onboard(app, 3201);
      const ref = refIn(await fillApplication(app, 3201, { iin: IIN.adultE }));
      const chat = 3202;
      await onboard(app, chat);
      await app.bot.services.users.makeStaff(chat, chat, 'en', ADMIN, { roles: ['reviewer'], regions: null, topics: null });
      expect(await tapExport(app, chat)).toContain(PREPARING);

      await ferret.stop();
      rig.startWorker();
      // The job runs into the stopped database and is put back for a later try.
      const deadline = Date.now() + 40_000;
      while (!lines.some((l) => l.includes('grant export failed; it will be retried')) && Date.now() < deadline) await sleep(100);
      expect(lines.some((l) => l.includes('grant export failed; it will be retried'))).toBe(true);
      expect(documentsTo(app, chat)).toHaveLength(0);

        await ferret.start();
      const file = await nextDocument(app, chat, 0, 60_000);
      expect(rowsOf(file).map((r) => r.ref)).toEqual([ref]);
      await untilExportsSettled(rig.queue);
      expect(documentsTo(app, chat)).toHaveLength(1);
      expect(app.drain(chat).some((t) => t.includes(FAILED))).toBe(false);
      // Logs name neither the applicant nor their IIN, on the failure path too.
      expect(lines.join('')).not.toContain(IIN.adultE);
      expect(lines.join('')).not.toContain('Aliya Sarsenbayeva');
    } finally {
      await rig.close().catch(() => undefined);
      await ferret.destroy();
    }
  }, 150_000);
});
