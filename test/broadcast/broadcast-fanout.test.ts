// The broadcast fan-out as a queued job, audiences by group flags, and paid broadcasts, with the
// real BullMQ queue and delivery worker against the local Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createBroadcastApp, onboard, openCompose, until, type BroadcastApp } from './helpers.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';
import { userModel } from '../../src/db/models/user.js';
import { volunteerModel } from '../../src/features/volunteer/volunteer.model.js';
import { ENQUEUE_PAGE } from '../../src/features/broadcast/broadcast-enqueue.js';
import { FANOUT_QUEUE_NAME, fanOutJobId, type FanOutProgress } from '../../src/delivery/fanout-queue.js';
import { DELIVERY_QUEUE_NAME } from '../../src/delivery/keys.js';
import { backfillVolunteerFlags } from '../../src/features/volunteer/volunteer-flags.js';
import { backfillApplicantFlags } from '../../src/features/grant/applicant-flags.js';
import { testRedisUrl } from '../support/isolation.js';
import { startUpLocks } from '../support/start-up-locks.js';

const STAFF = 7000;
const FIRST = 70_000;
const N = ENQUEUE_PAGE * 2 + 150;

describe('broadcast fan-out as a job', () => {
  let b: BroadcastApp;
  beforeAll(async () => {
    b = await createBroadcastApp('broadcast_fanout', { staffId: STAFF, rate: 1000, worker: { reconcileIntervalMs: 300, enqueueStaleMs: 2000 } });
    await onboard(b.app, STAFF, 'English');
    await b.app.bot.services.users.setAnnouncements(STAFF, false);
    await userModel(b.app.mongo).insertMany(
      Array.from({ length: N }, (_, i) => ({ telegramId: FIRST + i, chatId: FIRST + i, locale: (['kk', 'ru', 'en'] as const)[i % 3], region: 'zhetysu' })),
    );
  });
  afterAll(async () => b?.close());

  it('answers the staff at once and queues nobody in their update; the job queues everyone once, with progress', { timeout: 120_000 }, async () => {
    const { app } = b;
    const queue = (name: string) => new Queue(name, { prefix: app.config.REDIS_PREFIX, connection: { url: testRedisUrl() } });
    const delivery = queue(DELIVERY_QUEUE_NAME);
    const fanOut = queue(FANOUT_QUEUE_NAME);
    try {
      await b.stopWorker();
      const { id, total } = await app.bot.services.broadcasts.create({
        createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Fan-out news.' }, fallback: 'en', audience: { group: 'all', region: 'zhetysu' },
      });
      expect(total).toBe(N);
      // Nothing per recipient was queued inside the update: one fan-out job waits for a worker.
      expect(await delivery.count()).toBe(0);
      expect(await (await fanOut.getJob(fanOutJobId(id)))?.getState()).toBe('waiting');
      // Confirming twice (or a reconcile tick) does not queue a second fan-out.
      await app.bot.services.broadcasts.resumeStalled(0, async () => true);
      expect(await fanOut.count()).toBe(1);

      b.startWorker();
      await until(async () => (await broadcastModel(app.mongo).findById(id).lean())?.status === 'done', 60_000, 'broadcast done');
      for (let i = 0; i < N; i++) expect(app.api.sentByChat.get(FIRST + i) ?? 0).toBe(1);
      const job = await fanOut.getJob(fanOutJobId(id));
      expect(await job?.getState()).toBe('completed');
      expect(job?.progress as FanOutProgress).toEqual({ queued: N, total: N });
      expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ total: N, sent: N, enqueue: { done: true, count: N } });
      await until(() => app.api.messagesTo(STAFF).some((m) => m.text?.includes(`Sent: ${N}`) && m.text.includes('Final figures')), 10_000, 'final report');
    } finally {
      await delivery.close();
      await fanOut.close();
    }
  });

  it('fixes the total to who was really there when people leave the audience while it is queued', { timeout: 120_000 }, async () => {
    const { app } = b;
    await b.stopWorker();
    const { id, total } = await app.bot.services.broadcasts.create({
      createdBy: STAFF, staffChatId: STAFF, staffLocale: 'en', texts: { en: 'Second news.' }, fallback: 'en', audience: { group: 'all', region: 'zhetysu' },
    });
    expect(total).toBe(N);
    // Before the job runs, ten people turn announcements off.
    await userModel(app.mongo).updateMany({ telegramId: { $gte: FIRST, $lt: FIRST + 10 } }, { $set: { announcements: false } });
    b.startWorker();
    await until(async () => (await broadcastModel(app.mongo).findById(id).lean())?.status === 'done', 60_000, 'second broadcast done');
    expect(await broadcastModel(app.mongo).findById(id).lean()).toMatchObject({ total: N - 10, sent: N - 10 });
    for (let i = 0; i < 10; i++) expect(app.api.callsOf('sendMessage', FIRST + i).some((c) => String(c.payload.text).includes('Second news.'))).toBe(false);
  });
});

describe('audiences by group', () => {
  let b: BroadcastApp;
  beforeAll(async () => {
    b = await createBroadcastApp('broadcast_groups', { staffId: STAFF });
  });
  afterAll(async () => b?.close());

  it('counts volunteers who have not paused, applicants, and fills the flags in for older records once', async () => {
    const { app } = b;
    const { volunteers, broadcasts } = app.bot.services;
    const profile = {
      fullName: 'Aigerim', age: 30, phone: '+77011234567', region: 'abai', areas: ['sport'], availability: ['weekends'], skills: [],
    };
    for (const id of [801, 802, 803]) {
      await onboard(app, id, 'English');
      await volunteers.register(id, id, 'en', profile);
      // The audience's region is the one the person chose for the bot (the user record's).
      await app.bot.services.users.setRegion(id, 'abai');
    }
    expect(await broadcasts.countAudience({ group: 'volunteers' })).toBe(3);
    await volunteers.setPaused(802, true);
    await volunteers.remove(803);
    expect(await broadcasts.countAudience({ group: 'volunteers' })).toBe(1);
    await volunteers.setPaused(802, false);
    expect(await broadcasts.countAudience({ group: 'volunteers', region: 'abai' })).toBe(2);
    expect(await broadcasts.countAudience({ group: 'applicants' })).toBe(0);

    // A record from before the flags existed: a volunteer profile whose user has no flag.
    await userModel(app.mongo).updateMany({}, { $unset: { volunteer: 1 } });
    expect(await broadcasts.countAudience({ group: 'volunteers' })).toBe(0);
    expect(await backfillVolunteerFlags(app.mongo, startUpLocks(app))).toBe(2);
    expect(await backfillApplicantFlags(app.mongo, startUpLocks(app))).toBe(0);
    expect(await broadcasts.countAudience({ group: 'volunteers' })).toBe(2);
    // Once done, it is not done again.
    expect(await backfillVolunteerFlags(app.mongo, startUpLocks(app))).toBe(0);
    expect(await volunteerModel(app.mongo).countDocuments({})).toBe(2);
  });
});

describe('paid broadcasts', () => {
  for (const paid of [true, false]) {
    it(paid ? 'shows the Stars estimate before confirming and sends with allow_paid_broadcast' : 'is off by default: no estimate, no paid flag', async () => {
      const staff = 7100;
      const b = await createBroadcastApp(`broadcast_paid_${paid}`, { staffId: staff, env: paid ? { PAID_BROADCASTS: 'true' } : {} });
      try {
        const { app } = b;
        await onboard(app, staff, 'English');
        await app.bot.services.users.setAnnouncements(staff, false);
        const people = Array.from({ length: 12 }, (_, i) => 7200 + i);
        // People who chose English, as records (the broadcast reads nothing else of them): the
        // subject is the staff member's estimate and the paid flag, not twelve sign-ups in the chat.
        await userModel(app.mongo).insertMany(people.map((chat) => ({ telegramId: chat, chatId: chat, locale: 'en' })));
        await openCompose(app, staff);
        await app.tapLike(staff, 'English');
        await app.tapLike(staff, 'Done');
        await app.say(staff, 'Paid news.');
        await app.tapLike(staff, 'Everyone');
        await app.tapLike(staff, 'All regions');
        await app.tapLike(staff, 'All languages');
        app.drain(staff);
        // The audience is counted once for the summary, estimate and all (at 200,000 people one
        // count reads them all).
        const broadcasts = app.bot.services.broadcasts;
        const count = broadcasts.countAudience.bind(broadcasts);
        let counts = 0;
        broadcasts.countAudience = (audience) => {
          counts += 1;
          return count(audience);
        };
        await app.tapLike(staff, 'Send now');
        broadcasts.countAudience = count;
        expect(counts).toBe(1);
        const shown = app.drain(staff).join('\n---\n');
        expect(shown).toContain('will go to 12 people');
        // 12 messages at 0.1 Star: up to 2 Stars (rounded up to whole Stars).
        if (paid) expect(shown).toContain('Paid broadcast is on: this announcement goes out at up to 1000 messages a second, and Telegram takes up to 2 Stars');
        else expect(shown).not.toContain('Paid broadcast');
        await app.tapLike(staff, 'Send the announcement');
        await until(() => people.every((c) => app.api.callsOf('sendMessage', c).some((m) => m.payload.text === undefined || String(m.payload.text).includes('Paid news.'))), 15_000, 'sent');
        for (const chat of people) {
          const sent = app.api.callsOf('sendMessage', chat).filter((m) => String(m.payload.text).includes('Paid news.'));
          expect(sent).toHaveLength(1);
          expect(sent[0]!.payload.allow_paid_broadcast).toBe(paid ? true : undefined);
        }
      } finally {
        await b.close();
      }
    });
  }
});
