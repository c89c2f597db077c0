import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';

describe('staff invites', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('staff_invites', { adminIds: [1] });
  });
  afterAll(async () => app?.close());

  it('lets exactly one of many people opening the same link at once become staff', async () => {
    const { staff } = app.bot.services;
    const { token } = (await staff.createInvite(1))!;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => staff.redeemInvite(token, 100 + i, 100 + i, 'en')));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'invalid')).toHaveLength(19);
    expect(await staff.list()).toHaveLength(1);
  });

  it('refuses expired links', async () => {
    const { staff } = app.bot.services;
    const { token } = (await staff.createInvite(1))!;
    const later = new Date(Date.now() + 25 * 3600 * 1000);
    const original = app.bot.deps.now;
    // The service reads the same clock as the bot.
    (app.bot.services.staff as unknown as { deps: { now: () => Date } }).deps.now = () => later;
    try {
      expect(await staff.redeemInvite(token, 300, 300, 'en')).toBe('invalid');
    } finally {
      (app.bot.services.staff as unknown as { deps: { now: () => Date } }).deps.now = original;
    }
  });
});
