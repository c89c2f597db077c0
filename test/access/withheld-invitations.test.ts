// A mission's invitations withheld because the coordinator who published it lost access: the
// mission is held (no invitations, nobody new joins) until another coordinator of its region
// confirms it; the held-back invitations then go out once each in that coordinator's name.
// Attacked: a forged "join" tap while held, the withheld coordinator confirming after their access
// is back, two coordinators confirming at once, volunteers who join while it is held and after.
// Real BullMQ queue and delivery worker on the test Redis, FerretDB, the local Bot API.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app-harness.js';
import { testRedisUrl } from '../support/isolation.js';
import { createDeliveryQueue, type ClosableDeliveryQueue } from '../../src/delivery/bullmq-queue.js';
import { NOW } from '../grant/helpers.js';
import { addVolunteer, HOUR, mission } from '../volunteer/helpers.js';
import { auditOf, switchableDeliveryWorker, withheldCount, makeCoordinator, onboardAll } from './helpers.js';
import { inviteJob } from '../../src/features/volunteer/mission-jobs.js';
import { deliveryKeys } from '../../src/delivery/keys.js';
import { until } from '../support/until.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { testCipher } from '../support/data-key.js';

const ADMIN = 7800;
const PUBLISHER = 7801;
const COORD_X = 7802;
const COORD_Y = 7803;
const EARLY = 7810;
const MEMBER = 7811;
const LATE = 7812;
const AFTER = 7813;
const PAIR = [7814, 7815];
const INVITED = 'A volunteer mission needs help';


describe('a mission whose invitations were withheld waits for another coordinator', () => {
  let app: TestApp;
  let queue: ClosableDeliveryQueue;

  const workers = switchableDeliveryWorker(() => app);
  const startWorker = () => workers.start();
  const stopWorker = () => workers.stop();
  const invitations = (chat: number, title: string) => app.api.messagesTo(chat).filter((m) => (m.text ?? '').includes(INVITED) && (m.text ?? '').includes(title)).length;
  const withheld = (actor: number) => withheldCount(app, actor);
  const coordinator = (id: number) => makeCoordinator(app, id, ADMIN);
  const missions = () => app.bot.services.missions;

  /** Published by PUBLISHER for `volunteers` (region abai, with these skills), whose invitations are withheld. */
  async function heldMission(title: string, volunteers: number[], days: number, beforeTheSend?: (id: string) => Promise<void>): Promise<string> {
    await coordinator(PUBLISHER);
    await stopWorker();
    const before = await withheld(PUBLISHER);
    const { mission: m, invited } = await missions().publish(mission(NOW, { title, region: 'abai', startsAt: new Date(NOW.getTime() + days * 24 * HOUR) }), PUBLISHER);
    expect(invited).toBe(volunteers.length);
    await beforeTheSend?.(String(m._id));
    await app.bot.services.staff.revoke(ADMIN, PUBLISHER);
    startWorker();
    const id = String(m._id);
    // The first withheld invitation holds the mission (audited); the others are kept back with it.
    const heldBack = async () => (await missions().heldInvitations(id)).sort();
    // Each job keeps its volunteer back, then audits: wait for both (the jobs run side by side).
    await until('the withheld invitations', async () => (await heldBack()).length === volunteers.length && (await withheld(PUBLISHER)) > before);
    expect(await heldBack()).toEqual([...volunteers].sort());
    expect((await missions().get(id))?.inviteHold).toMatchObject({ by: PUBLISHER });
    return id;
  }

  /** Staff → Mission management as `chat`: the list, and the actions offered for `title`. */
  async function manage(chat: number, title: string): Promise<{ list: string; actions: string }> {
    app.drain(chat);
    await app.send(app.api.callback(chat, 'm:mission-manage', undefined, { enqueue: false }));
    const list = app.drain(chat).join('\n');
    await app.tapLike(chat, title);
    return { list, actions: app.last(chat).buttons.flat().join('|') };
  }

  beforeAll(async () => {
    const prefix = `t-${randomBytes(5).toString('hex')}`;
    queue = createDeliveryQueue({ redisUrl: testRedisUrl(), prefix, cipher: testCipher() });
    app = await createTestApp('withheld_invites', { now: () => NOW, adminIds: [ADMIN], delivery: queue, redisPrefix: prefix });
    await missions().init();
    await onboardAll(app, [PUBLISHER, COORD_X, COORD_Y, EARLY, MEMBER, LATE, AFTER, ...PAIR]);
    await coordinator(COORD_X);
    await coordinator(COORD_Y);
  }, 120_000);
  afterAll(async () => {
    await stopWorker();
    await queue?.close();
    await app?.close();
  });

  it('holds the mission; another coordinator confirms it and each held-back invitation goes out once, in their name', async () => {
    // MEMBER took a place (on their volunteer page) before the invitations went out; they keep it.
    for (const v of [EARLY, MEMBER]) await addVolunteer(app, v, 'en', { region: 'abai' });
    const id = await heldMission('River clean-up', [EARLY, MEMBER], 3, async (missionId) => {
      expect(await missions().accept(missionId, MEMBER)).toMatchObject({ status: 'accepted' });
    });
    expect(await missions().accept(id, MEMBER)).toEqual({ status: 'already-accepted' });
    expect((await missions().upcomingFor(MEMBER)).map((m) => m.mission.title)).toContain('River clean-up');

    // Held: nobody new joins, not even by a forged tap, and nobody is offered it on their page.
    expect(await missions().accept(id, EARLY)).toEqual({ status: 'held' });
    expect((await missions().pendingInvitations(EARLY)).map((m) => m.title)).not.toContain('River clean-up');
    // A volunteer who joins while it is held gets no invitation; theirs waits for the confirmation.
    await addVolunteer(app, LATE, 'en', { region: 'abai' });
    expect(await missions().inviteToOpenMissions(LATE)).toBe(1);
    await until('the late invitation held back', async () => (await missions().heldInvitations(id)).includes(LATE));
    expect([EARLY, MEMBER, LATE].map((v) => invitations(v, 'River clean-up'))).toEqual([0, 0, 0]);

    // The publisher, given access back, is neither offered the confirmation nor allowed it.
    await coordinator(PUBLISHER);
    expect((await manage(PUBLISHER, 'River clean-up')).actions).not.toContain('Confirm the mission');
    await app.tapLike(PUBLISHER, 'Cancel');
    expect(await missions().confirmInvitations(id, PUBLISHER)).toBeNull();
    await app.bot.services.staff.revoke(ADMIN, PUBLISHER);

    const seen = await manage(COORD_X, 'River clean-up');
    expect(seen.list).toContain('River clean-up (needs confirmation: the invitations have not been sent)');
    expect(seen.actions).toContain('Confirm the mission');
    await app.tapLike(COORD_X, 'Confirm the mission');
    // MEMBER has answered already: not invited again.
    expect(app.drain(COORD_X).join('\n')).toContain('The mission is confirmed. Invitations are being sent to 2 volunteers.');
    await until('the confirmed invitations', () => [EARLY, LATE].every((v) => invitations(v, 'River clean-up') > 0));
    const after = await missions().get(id);
    expect(after?.inviteHold).toBeUndefined();
    expect(after?.invitesFor).toMatchObject({ by: COORD_X });
    expect(await auditOf(app, COORD_X, 'mission.invite.confirm')).toMatchObject([{ target: `mission:${id}`, details: { invited: 2, withheldBy: PUBLISHER } }]);
    expect(await missions().accept(id, EARLY)).toMatchObject({ status: 'accepted' });

    // Someone who joins later is invited in COORD_X's name: it goes out though the publisher is still revoked.
    await addVolunteer(app, AFTER, 'en', { region: 'abai' });
    expect(await missions().inviteToOpenMissions(AFTER)).toBe(1);
    await until('the invitation after the confirmation', () => invitations(AFTER, 'River clean-up') === 1);
    await untilDeliveryIdle(app.config);
    expect([EARLY, MEMBER, LATE, AFTER].map((v) => invitations(v, 'River clean-up'))).toEqual([1, 0, 1, 1]);
    expect((await missions().get(id))?.inviteHold).toBeUndefined();

    // The publisher's first, withheld invitation run once more (a retry after a failed audit
    // write): the mission is not held again and nobody is invited twice.
    const recipient = await app.bot.services.volunteers.recipient(LATE);
    const published = await missions().get(id);
    if (!recipient || !published) throw new Error('set-up');
    const original = inviteJob(app.bot.i18n, { ...published, invitesFor: undefined }, recipient);
    expect(original.actedBy?.userId).toBe(PUBLISHER);
    const before = await withheld(PUBLISHER);
    await queue.cancel([original.id]);
    // Not finished and not audited (the audit line failed): its done and audit claims are gone.
    await app.redis.del(deliveryKeys(app.config.REDIS_PREFIX).done(original.id), deliveryKeys(app.config.REDIS_PREFIX).withheldAudited(original.id));
    await queue.enqueue([original]);
    await until('the old invitation withheld again', async () => (await withheld(PUBLISHER)) === before + 1);
    await untilDeliveryIdle(app.config);
    expect((await missions().get(id))?.inviteHold).toBeUndefined();
    expect([EARLY, MEMBER, LATE, AFTER].map((v) => invitations(v, 'River clean-up'))).toEqual([1, 0, 1, 1]);

    // Run once more after its refusal WAS audited (only the outcome write failed): withheld, not audited twice.
    const done = deliveryKeys(app.config.REDIS_PREFIX).done(original.id);
    await queue.cancel([original.id]);
    await app.redis.del(done);
    await queue.enqueue([original]);
    await until('the old invitation run again', async () => (await app.redis.exists(done)) === 1);
    expect(await withheld(PUBLISHER)).toBe(before + 1);
    expect([EARLY, MEMBER, LATE, AFTER].map((v) => invitations(v, 'River clean-up'))).toEqual([1, 0, 1, 1]);
  }, 120_000);

  it('two coordinators confirming at once: one invitation per volunteer', async () => {
    for (const v of PAIR) await addVolunteer(app, v, 'en', { region: 'abai' });
    const id = await heldMission('Computer class', [EARLY, MEMBER, LATE, AFTER, ...PAIR], 5);
    await stopWorker();
    const results = await Promise.all([COORD_X, COORD_Y].map((c) => missions().confirmInvitations(id, c)));
    expect(results).toEqual([{ invited: 6 }, { invited: 6 }]);
    startWorker();
    const all = [EARLY, MEMBER, LATE, AFTER, ...PAIR];
    await until('the invitations', () => all.every((v) => invitations(v, 'Computer class') > 0));
    await untilDeliveryIdle(app.config);
    expect(all.map((v) => invitations(v, 'Computer class'))).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await missions().get(id))?.inviteHold).toBeUndefined();
  }, 120_000);

  it('a confirmation withheld in turn holds the mission again, for a third coordinator', async () => {
    const id = await heldMission('Food bank', [EARLY, MEMBER, LATE, AFTER, ...PAIR], 6);
    await stopWorker();
    const before = await withheld(COORD_Y);
    expect(await missions().confirmInvitations(id, COORD_Y)).toEqual({ invited: 6 });
    await app.bot.services.staff.revoke(ADMIN, COORD_Y);
    startWorker();
    const heldBack = () => missions().heldInvitations(id);
    await until('the withheld confirmation', async () => (await withheld(COORD_Y)) > before && (await heldBack()).length === 6);
    expect((await heldBack()).sort()).toEqual([EARLY, MEMBER, LATE, AFTER, ...PAIR].sort());
    expect((await missions().get(id))?.inviteHold).toMatchObject({ by: COORD_Y });
    expect(await missions().confirmInvitations(id, COORD_Y)).toBeNull();
    expect(await missions().confirmInvitations(id, COORD_X)).toEqual({ invited: 6 });
    await until('the invitations', () => [EARLY, MEMBER, LATE, AFTER, ...PAIR].every((v) => invitations(v, 'Food bank') === 1));
    await coordinator(COORD_Y);
  }, 120_000);
});
