import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { groupCallback, groupText } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT } from '../features/inquiries/helpers.js';
import type { DeliveryJob } from '../../src/delivery/types.js';

const OPERATOR = 8101;

/** A queue whose next enqueue fails as Redis would for a moment (a passing failure). */
class FlakyDelivery extends RecordingDelivery {
  failNext = 0;
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    }
    return super.enqueue(jobs);
  }
}

describe('attack: a passing failure while handling a staff group update', () => {
  let app: TestApp;
  let delivery: FlakyDelivery;
  beforeAll(async () => {
    delivery = new FlakyDelivery();
    app = await createSceneHarness('atk_staff_retry', {
      adminIds: [OPERATOR],
      delivery,
      env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en', MAILBOX_RETRY_BASE_MS: '10', MAILBOX_RETRY_MAX_MS: '20' },
    });
  });
  afterAll(async () => app?.close());

  it('an operator reply retried after a passing failure is stored and audited once', async () => {
    const chat = 6201;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    delivery.failNext = 1;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'only once', { enqueue: false }));
    expect(delivery.to(chat).filter((j) => j.text.includes('only once'))).toHaveLength(1);
    const inquiry = await app.bot.services.inquiries.get(ref);
    const operatorTexts = app.bot.services.inquiries.messages(inquiry!).filter((m) => m.text === 'only once');
    expect(operatorTexts).toHaveLength(1);
    expect(await app.bot.services.audit.recent(10, { action: 'inquiry.relay' })).toHaveLength(1);
  });

  it('Close retried after a passing failure still tells the citizen and asks for the rating', async () => {
    const chat = 6202;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the disability decision?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    delivery.failNext = 1;
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:close:${ref}`, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('closed');
    expect(delivery.to(chat).filter((j) => j.id === `inq-${ref}-closed`)).toHaveLength(1);
  });
});
