import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { auditOf } from '../access/helpers.js';
import { iq } from '../../src/features/inquiries/callbacks.js';

const ASKER = 8400;

// The 1–5 buttons under "your question is closed" stay in the chat: a double tap, or the same
// rating sent again and again (forged callbacks), must not write an audit line each time.
describe('rating a closed question twice', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rating_taps');
  });
  afterAll(async () => app?.close());

  it('stores and audits the same rating once; a changed rating is stored and audited', async () => {
    await onboard(app, ASKER);
    const created = await app.bot.services.inquiries.create({ submissionKey: 'rate-twice', userId: ASKER, chatId: ASKER, locale: 'en', topic: 'grants', text: 'When is my grant decided?' });
    if (created.result !== 'created') throw new Error(created.result);
    expect(await app.bot.services.inquiries.close(created.ref, ASKER)).toBe(true);
    for (let i = 0; i < 5; i++) await app.send(app.api.callback(ASKER, iq.rate(created.ref, 4), undefined, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(created.ref))?.rating).toBe(4);
    expect(await auditOf(app, ASKER, 'inquiry.rate')).toHaveLength(1);
    await app.send(app.api.callback(ASKER, iq.rate(created.ref, 5), undefined, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(created.ref))?.rating).toBe(5);
    expect((await auditOf(app, ASKER, 'inquiry.rate')).map((a) => (a.details as { rating?: number } | undefined)?.rating).sort()).toEqual([4, 5]);
  });
});
