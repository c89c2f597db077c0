// A coordinator saves "Mark who came" after a mission. The hours are credited, then the next write
// fails for a moment (the audit line: the database away), or the process is killed right after
// the audit line, before the chat moved on. The mailbox runs the save again: it found the hours
// credited by the first try and told the coordinator "Volunteers credited with hours now: 0",
// and after a kill past the line it wrote the line a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9700;
const INVITED = 9720;

describe('attack: "Mark who came" run again after a failure past its write', () => {
  let app: TestApp;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('atk_attendance_retry', {
      adminIds: [COORDINATOR],
      now: time.now,
      env: { MAILBOX_RETRY_BASE_MS: '10', MAILBOX_RETRY_MAX_MS: '20' },
    });
    await app.bot.services.missions.init();
    await onboard(app, COORDINATOR);
  }, 60_000);
  afterAll(async () => app?.close());

  const attendanceLines = (id: string) => auditLogModel(app.mongo).countDocuments({ action: 'mission.attendance', target: `mission:${id}` });

  /** A mission of `team` that has ended, with "Who came?" open on the coordinator's screen. */
  async function endedMission(title: string, team: Array<{ id: number; name: string }>, by = COORDINATOR): Promise<string> {
    time.set(new Date('2026-11-20T06:00:00Z'));
    const missions = app.bot.services.missions;
    const { mission: m } = await missions.publish(mission(time.now(), { title, slots: 5 }), COORDINATOR);
    const id = String(m._id);
    for (const v of team) {
      await addVolunteer(app, v.id, 'en', { fullName: v.name });
      expect((await missions.accept(id, v.id)).status).toBe('accepted');
    }
    time.set(new Date(new Date(m.startsAt).getTime() + 5 * HOUR));
    await app.command(by, 'menu');
    await app.tapLike(by, 'Staff');
    await app.tapLike(by, 'Manage volunteer missions');
    await app.tapLike(by, title);
    await app.tapLike(by, 'Mark who came');
    for (const v of team) await app.tapLike(by, v.name);
    app.drain(by);
    return id;
  }

  /** Fails the next `mission.attendance` line once: before it is written, or (`after`) once it is. */
  async function withAuditFailingOnce(after: boolean, run: () => Promise<void>, meanwhile?: () => Promise<unknown>): Promise<void> {
    const { audit } = app.bot.services;
    const record = audit.record.bind(audit);
    let failed = false;
    audit.record = async (...args: Parameters<typeof audit.record>) => {
      if (args[1] !== 'mission.attendance' || failed) return record(...args);
      failed = true;
      await meanwhile?.();
      if (after) await record(...args);
      throw new TransientError('database away for a moment');
    };
    try {
      await run();
    } finally {
      audit.record = record;
    }
    expect(failed).toBe(true);
  }

  it('the line failing once: the save run again says who came and who was credited, audited once', async () => {
    const id = await endedMission('Tree planting', [
      { id: 9701, name: 'Aruzhan Bekova' },
      { id: 9702, name: 'Dana Omarova' },
    ]);
    await withAuditFailingOnce(false, () => app.tapLike(COORDINATOR, 'Done'));
    const said = app.drain(COORDINATOR).join('\n');
    expect(said).toContain('Attendance saved: 2 volunteers came. Volunteers credited with hours now: 2.');
    expect((await app.bot.services.missions.hours(9701)).total).toBe(4);
    expect(await attendanceLines(id)).toBe(1);
  }, 60_000);

  it('a failure right after the line is written: the save run again reports the same and writes no second line', async () => {
    const id = await endedMission('Food bank', [
      { id: 9711, name: 'Erlan Nurpeisov' },
      { id: 9712, name: 'Gulnar Akhmetova' },
    ]);
    await withAuditFailingOnce(true, () => app.tapLike(COORDINATOR, 'Done'));
    const said = app.drain(COORDINATOR).join('\n');
    expect(said).toContain('Attendance saved: 2 volunteers came. Volunteers credited with hours now: 2.');
    expect(await attendanceLines(id)).toBe(1);
  }, 60_000);

  // The coordinator loses the access between the first try (hours credited, the line failed) and
  // the mailbox's run again: the hours stay credited, so the line saying who credited them must
  // be written, or they would stand in no record. OPEN DEFECT (attack-today2): the run again is
  // refused at the access check, the hours stay without a line and the coordinator is told that
  // nothing was changed; no repair tick finishes it (as tellDue and confirmDue have). `it.fails`
  // until it is fixed: remove `.fails` then.
  it.fails('the access taken away before the save is run again: the hours credited stand in the audit', async () => {
    const invite = await app.bot.services.staff.createInvite(COORDINATOR, { role: 'coordinator', regions: null });
    await onboard(app, INVITED);
    await app.command(INVITED, 'start', `inv_${invite!.token}`);
    const id = await endedMission('Park clean-up', [{ id: 9721, name: 'Madina Sultan' }], INVITED);
    await withAuditFailingOnce(false, () => app.tapLike(INVITED, 'Done'), () => app.bot.services.staff.revoke(COORDINATOR, INVITED));
    // Told "Nothing was shown or changed", while the hours were credited.
    expect(app.drain(INVITED).join('\n')).toContain('Nothing was shown or changed');
    const hours = (await app.bot.services.missions.hours(9721)).total;
    expect(hours).toBe(4);
    expect(await attendanceLines(id)).toBe(hours > 0 ? 1 : 0);
  }, 60_000);
});
