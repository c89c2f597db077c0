import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { askPerson } from '../features/inquiries/helpers.js';

const OP_A = 8301;
const OP_B = 8302;

describe('attack: two operators answer one question from the Staff menu', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  beforeAll(async () => {
    delivery = new RecordingDelivery();
    app = await createSceneHarness('atk_private_reply', { adminIds: [OP_A, OP_B], delivery });
  });
  afterAll(async () => app?.close());

  it('both answers reach the citizen', async () => {
    const chat = 6501;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi?');
    for (const [op, text] of [[OP_A, 'Answer from A'], [OP_B, 'Answer from B']] as const) {
      await onboard(app, op);
      await app.send(app.api.callback(op, `iq:reply:${ref}`, undefined, { enqueue: false }));
      await app.say(op, text);
      expect(app.drain(op).join('\n')).toMatch(/sent/i);
    }
    const texts = delivery.to(chat).map((j) => j.text);
    expect(texts.some((t) => t.includes('Answer from A'))).toBe(true);
    expect(texts.some((t) => t.includes('Answer from B'))).toBe(true);
  });

  it('an operator revoked while typing a reply is refused at send time', async () => {
    const chat = 6502;
    const op = 8303;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the disability decision?');
    await onboard(app, op);
    await app.bot.services.users.makeStaff(op, op, 'en', OP_A);
    await app.bot.services.access.grant(op, { roles: ['operator'], regions: null, topics: null }, OP_A);
    await app.send(app.api.callback(op, `iq:reply:${ref}`, undefined, { enqueue: false }));
    await app.bot.services.access.revoke(op);
    await app.say(op, 'I should not be able to send this');
    expect(delivery.to(chat).some((j) => j.text.includes('should not'))).toBe(false);
  });
});
