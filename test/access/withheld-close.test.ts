// An operator closes a question and loses its topic before "your question is closed" goes out: the
// close stands, the notice is withheld, and the topic says the person has not been told, with a
// "Tell the person" button for another operator in scope (refused to the one who closed it, and
// to an operator out of scope). Two taps at once send one message; a late retry of the withheld
// notice marks nothing again. Real BullMQ worker, FerretDB, the local Bot API with a staff forum.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { testRedisUrl } from '../support/isolation.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { deliveryKeys } from '../../src/delivery/keys.js';
import { groupCallback, groupText } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT, threadText, until } from '../features/inquiries/helpers.js';
import { iq } from '../../src/features/inquiries/callbacks.js';
import { auditOf, switchableDeliveryWorker, onboardAll } from './helpers.js';
import type { Access } from '../../src/app/access.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { testCipher } from '../support/data-key.js';

const ADMIN = 7900;
const CLOSER = 7901;
const OTHER = 7902;
const OUT_OF_SCOPE = 7903;
const ASKER = 7910;
const CLOSED = 'is closed';

describe('a "question closed" notice withheld at send time', () => {
  let app: TestApp;
  let queue: ClosableDeliveryQueue;

  const workers = switchableDeliveryWorker(() => app);
  const startWorker = () => workers.start();
  const stopWorker = () => workers.stop();
  const operator = (id: number, topics: Access['topics']) => app.bot.services.users.makeStaff(id, id, 'en', ADMIN, { roles: ['operator'], regions: null, topics });
  const told = () => app.api.messagesTo(ASKER).filter((m) => (m.text ?? '').includes(CLOSED)).length;

  beforeAll(async () => {
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    app = await createTestApp('withheld_close', { adminIds: [ADMIN], delivery: queue, redisPrefix: prefix, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
    await onboardAll(app, [CLOSER, OTHER, OUT_OF_SCOPE, ASKER]);
    await operator(CLOSER, ['rehab']);
    await operator(OTHER, ['rehab']);
    await operator(OUT_OF_SCOPE, ['grants']);
  }, 120_000);
  afterAll(async () => {
    await stopWorker();
    await queue?.close();
    await app?.close();
  });

  it('the topic is told; another operator in scope tells the person, once, in their name', async () => {
    const ref = await askPerson(app, ASKER, 'Who pays for a hearing aid battery?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, CLOSER, '/close', { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('closed');
    await app.bot.services.staff.changeAccess(ADMIN, CLOSER, { roles: ['operator'], regions: null, topics: ['grants'] });
    startWorker();
    await until('the withheld close', async () => (await auditOf(app, CLOSER, 'notice.withheld')).length === 1);
    await until('the note in the topic', () => threadText(app, threadId).some((line) => line.includes(`Question ${ref} is closed, but the person has not been told`)));
    expect((await app.bot.services.inquiries.get(ref))?.closeNotice).toMatchObject({ by: CLOSER });
    expect(told()).toBe(0);

    // The closer (access given back) and an operator out of scope are refused; nothing is sent.
    await operator(CLOSER, ['rehab']);
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, CLOSER, iq.staff('tell', ref), { enqueue: false }));
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OUT_OF_SCOPE, iq.staff('tell', ref), { enqueue: false }));
    expect(app.api.callsOf('answerCallbackQuery').slice(-2).map((c) => String(c.payload.text))).toEqual([
      'Another operator needs to tell the person, because it was your notice that was held back.',
      expect.stringContaining(ref),
    ]);
    await untilDeliveryIdle(app.config);
    expect(told()).toBe(0);

    // The operators' queue lists it as closed and not told; the view offers "Tell the person" to
    // the other operator, not to the closer.
    const operatorsQueue = async (chat: number) => {
      app.drain(chat);
      await app.send(app.api.callback(chat, 'm:inquiry-queue', undefined, { enqueue: false }));
      return app.drain(chat).join('\n');
    };
    const viewButtons = async (chat: number) => {
      app.drain(chat);
      await app.send(app.api.callback(chat, iq.staff('view', ref), undefined, { enqueue: false }));
      return app.last(chat).buttons.flat().join('|');
    };
    const listed = await operatorsQueue(OTHER);
    expect(listed).toContain(ref);
    expect(listed).toContain('closed, the person has not been told');
    expect(await viewButtons(OTHER)).toContain('Tell the person');
    expect(await viewButtons(CLOSER)).not.toContain('Tell the person');

    // Two taps at once by the other operator: one message.
    await Promise.all([0, 1].map(() => app.send(groupCallback(app.api, STAFF_CHAT, threadId, OTHER, iq.staff('tell', ref), { enqueue: false }))));
    await until('the notice', () => told() === 1);
    expect((await app.bot.services.inquiries.get(ref))?.closeNotice).toBeUndefined();
    expect(await operatorsQueue(OTHER)).not.toContain(ref);
    expect(await auditOf(app, OTHER, 'inquiry.close.confirm')).toMatchObject([{ target: `inquiry:${ref}`, details: { withheldBy: CLOSER } }]);

    // The first, withheld notice run once more (a retry after a failed audit write): nothing changes.
    await app.bot.services.staff.changeAccess(ADMIN, CLOSER, { roles: ['operator'], regions: null, topics: ['grants'] });
    const again = (await auditOf(app, CLOSER, 'notice.withheld')).length;
    const first = `inq-${ref}-closed`;
    await queue.cancel([first]);
    // Not finished and not audited (the audit line failed): its done and audit claims are gone.
    await app.redis.del(deliveryKeys(app.config.REDIS_PREFIX).done(first), deliveryKeys(app.config.REDIS_PREFIX).withheldAudited(first));
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    await queue.enqueue([{ id: first, chatId: ASKER, kind: 'inquiry-relay', ref, text: 'Your question is closed.',
      actedBy: { userId: CLOSER, permission: 'inquiries.answer', topic: inquiry.topic } }]);
    await until('the old notice withheld again', async () => (await auditOf(app, CLOSER, 'notice.withheld')).length === again + 1);
    await untilDeliveryIdle(app.config);
    expect((await app.bot.services.inquiries.get(ref))?.closeNotice).toBeUndefined();
    expect(told()).toBe(1);
  }, 120_000);
});
