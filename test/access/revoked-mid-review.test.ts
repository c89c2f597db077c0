// The reproduction from issue 10, end to end over the local Bot API on both runtimes: a reviewer
// leaves the application list on screen, an admin withdraws their access from another process,
// and every later tap and typed answer is refused before anything is read or changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { fillApplication, IDEA, IIN, NOW, refIn } from '../grant/helpers.js';
import { auditOf, revokeInAnotherProcess } from './helpers.js';

const ADMIN = 700;
const REVIEWER = 701;
const APPLICANT = 702;

describe.each(['grammy', 'telegraf'] as const)('a reviewer whose access is withdrawn mid-review (%s)', (framework) => {
  let app: TestApp;
  let ref: string;

  beforeAll(async () => {
    // createTestApp: the real runtime adapter (grammY or Telegraf) over HTTP to the local Bot API and
    // the Redis mailbox, so the reproduction runs on each runtime, not only on its name.
    app = await createTestApp(`access_repro_${framework}`, { framework, now: () => NOW, adminIds: [ADMIN] });
    expect(app.bot.runtime.name).toBe(framework);
    await onboard(app, APPLICANT);
    ref = refIn(await fillApplication(app, APPLICANT, { iin: IIN.adultB, phone: '+7 701 555 44 33' }));
    // The reviewer joins the way staff do: an invite link for the reviewer role, opened in the chat.
    await onboard(app, REVIEWER);
    const invite = await app.bot.services.staff.createInvite(ADMIN, { role: 'reviewer', regions: null });
    await app.command(REVIEWER, 'start', `inv_${invite!.token}`);
    expect(app.drain(REVIEWER).join('\n')).toContain('Welcome to the team! You now have staff access: Reviewer of grant applications · regions: All regions.');
  }, 60_000);
  afterAll(async () => app?.close());

  it('sees nothing, changes nothing, notifies nobody, and the refusals are audited', async () => {
    // Grant applications → a status → a region; the list stays on screen.
    await app.command(REVIEWER, 'menu');
    await app.tapLike(REVIEWER, 'Staff');
    await app.tapLike(REVIEWER, 'Review applications');
    await app.say(REVIEWER, '1');
    await app.tapLike(REVIEWER, 'All regions');
    expect(app.last(REVIEWER).buttons.flat().join(' ')).toContain(ref);
    app.drain(REVIEWER);

    expect(await revokeInAnotherProcess(app, REVIEWER, ADMIN)).toContain(`revoked ${REVIEWER}`);

    // The very next tap: the old application button.
    await app.tapLike(REVIEWER, ref);
    const afterTap = app.drain(REVIEWER).join('\n');
    expect(afterTap).toContain('Your access to "Application review" has been withdrawn or changed, so this screen is closed.');
    expect(afterTap).toContain('Main menu');
    // Then "1" (what took the application into review) and a comment.
    await app.say(REVIEWER, '1');
    await app.say(REVIEWER, 'Looks fine, taking it');
    const seen = [afterTap, ...app.drain(REVIEWER), ...app.api.messagesTo(REVIEWER).map((m) => m.text ?? '')].join('\n');
    for (const secret of ['+7 701 555 44 33', '555 44 33', IIN.adultB, `${IIN.adultB.slice(0, 2)}••`, IDEA.slice(0, 40), 'Aliya']) {
      expect(seen).not.toContain(secret);
    }
    // The Staff entry is gone from the menu.
    expect(app.last(REVIEWER).buttons.flat().join(' ')).not.toContain('Staff');

    const record = await app.bot.services.grants.get(ref);
    expect(record?.status).toBe('submitted');
    expect(record?.history).toHaveLength(1);
    expect((app.delivery as RecordingDelivery).to(APPLICANT)).toHaveLength(0);
    expect(await auditOf(app, REVIEWER, 'grant.status')).toHaveLength(0);
    const denied = await auditOf(app, REVIEWER, 'access.denied');
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied[denied.length - 1]).toMatchObject({ target: 'scene:grant-review', details: { permission: 'grants.review', input: 'callback' } });
    expect(await auditOf(app, ADMIN, 'staff.revoke')).toHaveLength(1);
    // The session holds no trace of the review.
    expect((await app.bot.sessions.peek(REVIEWER))?.scene?.id).not.toBe('grant-review');
  });

  it('refuses a hand-made staff button and a typed staff command from the former reviewer too', async () => {
    app.drain(REVIEWER);
    await app.send(app.api.callback(REVIEWER, 'm:grant-review', undefined, { enqueue: false }));
    expect(app.drain(REVIEWER).join('\n')).toContain('You do not have access to this.');
    const denied = await auditOf(app, REVIEWER, 'access.denied');
    expect(denied.some((d) => d.target === 'menu:grant-review')).toBe(true);
  });
});
