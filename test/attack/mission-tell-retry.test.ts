// The same for «Confirm the mission» (a mission held because its invitations were withheld).
//
// A mission was cancelled by a coordinator who lost their access before the notices went out:
// the notices were withheld, and another coordinator taps «Tell the volunteers». The notices are
// queued and the mission's mark cleared, then the audit line fails for a moment (the database
// away), or the process is killed right after it. The mailbox runs the tap again: it found no
// mark, told the coordinator the mission «cannot be changed any more», and the telling was never
// audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import type { DeliveryJob } from '../../src/delivery/types.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { missionModel } from '../../src/features/volunteer/mission.model.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const CANCELLER = 9800;
const TELLER = 9801;

/** The project's delivery queue interface, counting every cancellation notice and invitation queued (the same id twice included). */
class CountingDelivery extends RecordingDelivery {
  queued: string[] = [];
  override async enqueue(jobs: DeliveryJob[]): Promise<void> {
    this.queued.push(...jobs.filter((j) => j.id.startsWith('mc-') || j.id.startsWith('mi-')).map((j) => j.id));
    await super.enqueue(jobs);
  }
}

describe('attack: «Tell the volunteers» run again after a failure past its write', () => {
  let app: TestApp;
  const delivery = new CountingDelivery();
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('atk_mission_tell_retry', {
      adminIds: [CANCELLER, TELLER],
      now: time.now,
      delivery,
      env: { MAILBOX_RETRY_BASE_MS: '10', MAILBOX_RETRY_MAX_MS: '20' },
    });
    await app.bot.services.missions.init();
    await onboard(app, TELLER);
  }, 60_000);
  afterAll(async () => app?.close());

  const tellLines = (id: string) => auditLogModel(app.mongo).countDocuments({ action: 'mission.cancel.confirm', target: `mission:${id}` });

  /** A cancelled mission whose notice to `volunteer` was withheld (its canceller lost access). */
  async function withheldCancellation(title: string, volunteer: number): Promise<string> {
    const missions = app.bot.services.missions;
    const { mission: m } = await missions.publish(mission(time.now(), { title, startsAt: new Date(time.now().getTime() + 48 * HOUR) }), CANCELLER);
    const id = String(m._id);
    await addVolunteer(app, volunteer, 'en');
    expect((await missions.accept(id, volunteer)).status).toBe('accepted');
    expect(await missions.cancelMission(id, CANCELLER)).toEqual({ told: 1 });
    await missions.markCancellationWithheld(id, CANCELLER, volunteer);
    expect((await missions.get(id))?.cancelNotice?.by).toBe(CANCELLER);
    return id;
  }

  /** «Tell the volunteers» with the next `mission.cancel.confirm` line failing once: before it is written, or (`after`) once it is. */
  const tellWithLineFailingOnce = (title: string, after: boolean) => tapWithLineFailingOnce(title, 'Tell the volunteers', 'mission.cancel.confirm', after);

  /** `button` on the mission's screen, with the next `action` line failing once: before it is written, or (`after`) once it is. */
  async function tapWithLineFailingOnce(title: string, button: string, action: string, after: boolean): Promise<string> {
    await app.command(TELLER, 'menu');
    await app.tapLike(TELLER, 'Staff');
    await app.tapLike(TELLER, 'Manage volunteer missions');
    await app.tapLike(TELLER, title);
    app.drain(TELLER);
    const { audit } = app.bot.services;
    const record = audit.record.bind(audit);
    let failed = false;
    audit.record = async (...args: Parameters<typeof audit.record>) => {
      if (args[1] !== action || failed) return record(...args);
      failed = true;
      if (after) await record(...args);
      throw new TransientError('database away for a moment');
    };
    try {
      await app.tapLike(TELLER, button);
    } finally {
      audit.record = record;
    }
    expect(failed).toBe(true);
    return app.drain(TELLER).join('\n');
  }

  it('the line failing once: the tap run again says the volunteer is being told, the notice goes once, audited once', async () => {
    const id = await withheldCancellation('Park clean-up', 9811);
    const said = await tellWithLineFailingOnce('Park clean-up', false);
    expect(said).toContain('1 volunteer is being told that the mission is cancelled.');
    expect(said).not.toContain('cannot be changed any more');
    expect(delivery.queued.filter((j) => j.startsWith(`mc-${id}-9811-c`))).toHaveLength(1);
    expect(await tellLines(id)).toBe(1);
    const m = await missionModel(app.mongo).findById(id).lean();
    expect(m?.cancelNotice).toBeUndefined();
    expect(m?.cancelTold?.by).toBe(TELLER);
  }, 60_000);

  it('a failure right after the line is written: the tap run again says the same and writes no second line', async () => {
    const id = await withheldCancellation('Library move', 9812);
    const said = await tellWithLineFailingOnce('Library move', true);
    expect(said).toContain('1 volunteer is being told that the mission is cancelled.');
    expect(delivery.queued.filter((j) => j.startsWith(`mc-${id}-9812-c`))).toHaveLength(1);
    expect(await tellLines(id)).toBe(1);
  }, 60_000);

  it('«Confirm the mission» run again after its line failed, or after it was written: invitations once, the line once, the coordinator told', async () => {
    const missions = app.bot.services.missions;
    for (const [title, volunteer, after] of [['River walk', 9821, false], ['Toy drive', 9822, true]] as const) {
      const { mission: m } = await missions.publish(mission(time.now(), { title, startsAt: new Date(time.now().getTime() + 48 * HOUR) }), CANCELLER);
      const id = String(m._id);
      await addVolunteer(app, volunteer, 'en');
      await missions.invitationWithheld(id, volunteer, CANCELLER, undefined);
      expect((await missions.get(id))?.inviteHold?.by).toBe(CANCELLER);
      const said = await tapWithLineFailingOnce(title, 'Confirm the mission', 'mission.invite.confirm', after);
      expect(said).toContain('The mission is confirmed. An invitation is being sent to 1 volunteer.');
      expect(delivery.queued.filter((j) => j.startsWith(`mi-${id}-${volunteer}-c`))).toHaveLength(1);
      expect(await auditLogModel(app.mongo).countDocuments({ action: 'mission.invite.confirm', target: `mission:${id}` })).toBe(1);
    }
  }, 60_000);

  it('a confirmation nobody taps again after its line failed: the repair tick writes the line, once', async () => {
    const missions = app.bot.services.missions;
    const { mission: m } = await missions.publish(mission(time.now(), { title: 'Snow clearing', startsAt: new Date(time.now().getTime() + 48 * HOUR) }), CANCELLER);
    const id = String(m._id);
    await addVolunteer(app, 9823, 'en');
    await missions.invitationWithheld(id, 9823, CANCELLER, undefined);
    const { audit } = app.bot.services;
    const record = audit.record.bind(audit);
    audit.record = async (...args: Parameters<typeof audit.record>) => {
      if (args[1] === 'mission.invite.confirm') throw new TransientError('database away for a moment');
      return record(...args);
    };
    try {
      await expect(missions.confirmInvitations(id, TELLER)).rejects.toThrow(TransientError);
    } finally {
      audit.record = record;
    }
    expect(await missions.finishInterruptedConfirmations()).toBe(0);
    time.advance(2 * 60_000);
    expect(await missions.finishInterruptedConfirmations()).toBe(1);
    expect(await missions.finishInterruptedConfirmations()).toBe(0);
    expect(await auditLogModel(app.mongo).find({ action: 'mission.invite.confirm', target: `mission:${id}` }).lean()).toMatchObject([
      { actorId: TELLER, details: { invited: 1, withheldBy: CANCELLER } },
    ]);
  }, 60_000);

  it('a telling nobody taps again after its line failed: the repair tick writes the line, once', async () => {
    const missions = app.bot.services.missions;
    const id = await withheldCancellation('Book drive', 9813);
    const { audit } = app.bot.services;
    const record = audit.record.bind(audit);
    audit.record = async (...args: Parameters<typeof audit.record>) => {
      if (args[1] === 'mission.cancel.confirm') throw new TransientError('database away for a moment');
      return record(...args);
    };
    try {
      await expect(missions.confirmCancellation(id, TELLER)).rejects.toThrow(TransientError);
    } finally {
      audit.record = record;
    }
    // Not yet: the tap may still be finishing it.
    expect(await missions.finishInterruptedTellings()).toBe(0);
    time.advance(2 * 60_000);
    expect(await missions.finishInterruptedTellings()).toBe(1);
    expect(await missions.finishInterruptedTellings()).toBe(0);
    expect(await auditLogModel(app.mongo).find({ action: 'mission.cancel.confirm', target: `mission:${id}` }).lean()).toMatchObject([
      { actorId: TELLER, details: { told: 1, withheldBy: CANCELLER } },
    ]);
    expect(delivery.queued.filter((j) => j.startsWith(`mc-${id}-9813-c`))).toHaveLength(1);
  }, 60_000);
});
