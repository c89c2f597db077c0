import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { groupPhoto, groupText } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT, threadText } from '../features/inquiries/helpers.js';
import { validateJob } from '../../src/delivery/bullmq-queue.js';
import type { DeliveryJob } from '../../src/delivery/types.js';

const OPERATOR = 8201;

/** Checks jobs as the real BullMQ queue does before recording them. */
class ValidatingDelivery extends RecordingDelivery {
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    for (const job of jobs) validateJob(job);
    return super.enqueue(jobs);
  }
}

describe('attack: operator replies at Telegram length limits', () => {
  let app: TestApp;
  let delivery: ValidatingDelivery;
  beforeAll(async () => {
    delivery = new ValidatingDelivery();
    app = await createSceneHarness('atk_relay_len', { adminIds: [OPERATOR], delivery, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
  });
  afterAll(async () => app?.close());

  it('a 4096-character answer (Telegram allows it) reaches the citizen, or the operator is told', async () => {
    const chat = 6401;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'x'.repeat(4096), { enqueue: false }));
    const delivered = delivery.to(chat).some((j) => j.text.includes('xxxx'));
    const toldInTopic = threadText(app, threadId).length > 3;
    expect(delivered || toldInTopic).toBe(true);
  });

  it('a photo with a 1024-character caption is copied with a caption Telegram accepts', async () => {
    const chat = 6402;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the disability decision?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupPhoto(app.api, STAFF_CHAT, threadId, OPERATOR, 'y'.repeat(1024), { enqueue: false }));
    const copy = delivery.to(chat).find((j) => j.copy);
    expect(copy).toBeDefined();
    expect(copy!.text.length).toBeLessThanOrEqual(1024);
  });

  it('a citizen question of 4,000 characters, and a follow-up of 4,096, reach the operators whole', async () => {
    const chat = 6403;
    await onboard(app, chat);
    const question = `${'My son needs a wheelchair and we were refused twice. '.repeat(76)}What can we do?`.slice(0, 4000);
    const ref = await askPerson(app, chat, question);
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    expect(app.bot.services.inquiries.messages(inquiry)[0]?.text).toBe(question);
    const zs = () => threadText(app, inquiry.threadId!).join('').split('ж').length - 1;
    const zsBefore = zs();
    const followUp = 'ж'.repeat(4096);
    await app.say(chat, followUp);
    const stored = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(ref))!).map((m) => m.text);
    expect(stored).toEqual([question, followUp]);
    // In the topic, each text with its "Citizen:" label is split to Telegram's limit, nothing cut.
    const topic = threadText(app, inquiry.threadId!);
    expect(topic.every((text) => text.length <= 4096)).toBe(true);
    expect(topic.join('').replace(/\s+/g, '')).toContain(question.replace(/\s+/g, '').slice(-500));
    expect(zs() - zsBefore).toBe(4096);
  });
});
