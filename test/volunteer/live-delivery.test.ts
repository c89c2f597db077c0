import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { testRedisUrl } from '../support/isolation.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { startBotDeliveryWorker } from '../../src/delivery/bot-worker.js';
import type { DeliveryWorkerHandle } from '../../src/delivery/delivery-worker.js';
import { createLogger } from '../../src/logger.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { CLAIM_LEASE_MS } from '../../src/features/volunteer/mission-store.js';
import { addVolunteer, HOUR, mission } from './helpers.js';
import { until } from '../support/until.js';
import { testCipher } from '../support/data-key.js';

const STAFF = 9300;


// Invitations, notices and answers through the real BullMQ queue and delivery worker, to the
// local Bot API server, as main.ts wires them; the user taps the buttons of the delivered message.
describe('mission messages delivered through the local Bot API server', () => {
  let app: TestApp;
  let queue: ClosableDeliveryQueue;
  let worker: DeliveryWorkerHandle;
  // Real time (the queue schedules by it), shifted when a test needs time to pass.
  let offset = 0;
  beforeAll(async () => {
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    app = await createTestApp('vol_live', { adminIds: [STAFF], delivery: queue, redisPrefix: prefix, now: () => new Date(Date.now() + offset) });
    worker = startBotDeliveryWorker({
      config: app.config,
      redis: app.redis,
      services: app.bot.services,
      i18n: app.bot.i18n,
      api: app.bot.runtime.api,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
    await app.bot.services.missions.init();
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await app?.close();
  });

  const received = (chat: number, fragment: string) => app.api.messagesTo(chat).some((m) => m.text?.includes(fragment));
  const invitation = (chat: number) => app.api.visibleMessages(chat).find((m) => m.text?.includes('Can you come?') || m.text?.includes('Келе аласыз ба?'));

  it('invites, answers on the delivered message, moves the waiting list up and tells about a cancellation', async () => {
    for (const [chat, language] of [[901, 'English'], [902, 'Русский'], [903, 'English']] as const) {
      await onboard(app, chat, language);
      await addVolunteer(app, chat, language === 'English' ? 'en' : 'ru', { region: 'west-kazakhstan' });
    }
    const { mission: m } = await app.bot.services.missions.publish(mission(new Date(Date.now() + offset), { region: 'west-kazakhstan', slots: 1, startsAt: new Date(Date.now() + 3 * 24 * HOUR) }), STAFF);
    const id = String(m._id);
    await until('three invitations', () => received(901, 'A volunteer mission needs help') && received(902, 'Волонтёрской миссии нужна помощь') && received(903, 'A volunteer mission needs help'));
    expect(invitation(901)?.buttons.flat()).toEqual(['Yes, I will help', 'No, I cannot']);

    await app.tapLike(901, 'Yes, I will help');
    // The invitation itself now says the answer and has no buttons left to tap again.
    const answered = app.api.visibleMessages(901).find((m) => m.text?.includes('You are on the team'));
    expect(answered?.text).toContain('Charity fair');
    expect(answered?.buttons).toEqual([]);
    await app.tap(902, 'Да, помогу');
    expect(app.api.visibleMessages(902).some((m) => m.text?.includes('листе ожидания под номером 1'))).toBe(true);

    // A tap that died mid-answer: the next tap is told to wait and keeps its buttons; later it goes through.
    await missionAssignmentModel(app.mongo).create({ missionId: m._id, volunteerUserId: 903, status: 'claiming', claimUntil: new Date(Date.now() + offset + CLAIM_LEASE_MS) });
    await app.tapLike(903, 'Yes, I will help');
    expect(app.drain(903).join('\n')).toContain('still saving your earlier answer');
    expect(invitation(903)?.buttons.flat()).toEqual(['Yes, I will help', 'No, I cannot']);
    offset += CLAIM_LEASE_MS + 1000;
    await app.tapLike(903, 'Yes, I will help');
    expect(app.api.visibleMessages(903).some((m) => m.text?.includes('waiting list, place 2'))).toBe(true);

    // 901 cannot come after all: 902 moves up and is told in Russian, through the queue.
    await app.command(901, 'menu');
    await app.tapLike(901, 'Become a volunteer');
    await app.tapLike(901, 'I cannot come to a mission');
    // The title is read in the text; the button carries the start.
    expect(app.last(901).text).toContain('"Charity fair"');
    await app.tapLike(901, '1. ');
    await app.tapLike(901, 'Yes, I cannot come');
    await until('the promotion notice', () => received(902, 'освободилось место'));

    await app.bot.services.missions.cancelMission(id, STAFF);
    await until('the cancellation notices', () => received(902, 'отменили') && received(903, 'has been cancelled'));
  });
});
