// A reviewer types a "reason" that says nothing: emoji, dots, question marks. The applicant was
// sent it as the question to answer ("Comment: 😀😀😀😀😀😀") or as why they were turned down, while
// the screen promised that a reason is required. A reason needs words; the question stays open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { IIN, NOW, submitDirectly } from '../grant/helpers.js';

const ADMIN = 962;
const STAFF = 963;

describe('attack: a reviewer\'s reason without words', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_review_reason_words', { now: () => NOW, adminIds: [ADMIN] });
    await app.bot.services.users.makeStaff(STAFF, STAFF, 'en', ADMIN);
    await onboard(app, STAFF);
  });
  afterAll(async () => app?.close());

  async function openDecision(ref: string, decision: string): Promise<void> {
    await app.command(STAFF, 'menu');
    await app.tapLike(STAFF, 'Staff');
    await app.tapLike(STAFF, 'Review applications');
    await app.say(STAFF, '1');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, ref);
    await app.tapLike(STAFF, decision);
    app.drain(STAFF);
  }

  const notices = (ref: string) => (app.delivery as RecordingDelivery).jobs.filter((j) => j.kind === 'grant-status' && j.ref === `grant:${ref}`);

  it.each([
    ['Ask for more information', 'more-info', 441, IIN.adultA],
    ['Reject', 'rejected', 442, IIN.adultB],
  ] as const)('"%s" with emoji, dots or question marks is asked again; words go through', async (decision, status, applicant, iin) => {
    const ref = await submitDirectly(app.bot.services.grants, applicant, iin);
    await openDecision(ref, decision);
    for (const empty of ['😀😀😀😀😀😀', '.......', '??????', '👍 👍 👍 !!!']) {
      await app.say(STAFF, empty);
      const said = app.drain(STAFF).join('\n');
      expect(said).toContain('A reason in words is required here');
      expect((await app.bot.services.grants.get(ref))!.status).toBe('submitted');
    }
    expect(notices(ref)).toHaveLength(0);
    await app.say(STAFF, 'Which room will the workshop use?');
    expect((await app.bot.services.grants.get(ref))!.status).toBe(status);
    expect(notices(ref).map((j) => j.text).join('\n')).toContain('Which room will the workshop use?');
  });

  it('keeps an optional comment optional', async () => {
    const ref = await submitDirectly(app.bot.services.grants, 443, IIN.adultC);
    await openDecision(ref, 'Take into review');
    await app.say(STAFF, '-');
    expect((await app.bot.services.grants.get(ref))!.status).toBe('in-review');
  });
});
