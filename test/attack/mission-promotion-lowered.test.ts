// A place freed on a full mission goes to the first on the waiting list; a coordinator lowers the
// number of places at the same moment. The promotion read the places free against the old number
// and took one after the change counted the places taken: the team was one too many, and the one
// who moved up was told they had a place the mission did not have.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { MissionSeats } from '../../src/features/volunteer/mission-seats.js';
import { missionSeatModel } from '../../src/features/volunteer/mission-assignment.model.js';
import type { MissionRecord } from '../../src/features/volunteer/mission.model.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const ADMIN = 9500;
const COORD = 9501;
const [A, B, C, W] = [9511, 9512, 9513, 9514];

/** The private step of MissionSeats that reads which place numbers are free. */
interface SeatsInternals {
  freeSeats(mission: MissionRecord, purpose?: 'new' | 'move'): Promise<number[]>;
}

describe('attack: a promotion from the waiting list while the places are lowered', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  const missions = () => app.bot.services.missions;
  const teamSize = (id: string) => missionSeatModel(app.mongo).countDocuments({ missionId: id });
  const accepted = async (id: string) => (await missions().roster(id))!.accepted.map((e) => e.userId).sort();
  const toldPromoted = (id: string, userId: number) => delivery.jobs.some((j) => j.id === `mp-${id}-${userId}`);

  beforeAll(async () => {
    app = await createSceneHarness('atk_promotion_lowered', { adminIds: [ADMIN], now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await missions().init();
    for (const chat of [ADMIN, COORD]) await onboard(app, chat);
    await app.bot.services.users.makeStaff(COORD, COORD, 'en', ADMIN, { roles: ['coordinator'], regions: ['karaganda'], topics: null });
    for (const user of [A, B, C, W]) await addVolunteer(app, user, 'en');
  }, 60_000);
  afterAll(async () => app?.close());

  /** A full team of three (A, B, C) and W first in line. */
  async function fullTeam(title: string): Promise<string> {
    const id = String((await missions().publish(mission(time.now(), { title, slots: 3 }), COORD)).mission._id);
    for (const user of [A, B, C]) expect(await missions().accept(id, user)).toMatchObject({ status: 'accepted' });
    expect(await missions().accept(id, W)).toMatchObject({ status: 'waiting', position: 1 });
    return id;
  }

  /**
   * Runs `during` right after the next promotion of mission `id` read the free places (before it
   * takes one), then lets it go on. A call that waits for the promotion is given up after 500 ms.
   */
  function afterPromotionRead(id: string, during: () => Promise<unknown>) {
    const proto = MissionSeats.prototype as unknown as SeatsInternals;
    const real = proto.freeSeats;
    let armed = true;
    let ran: Promise<unknown> | undefined;
    const spy = vi.spyOn(proto, 'freeSeats').mockImplementation(async function (this: MissionSeats, m, purpose) {
      const free = await real.call(this, m, purpose);
      if (armed && purpose === 'new' && String(m._id) === id && free.length > 0) {
        armed = false;
        ran = during();
        await Promise.race([ran, new Promise((resolve) => setTimeout(resolve, 500))]);
      }
      return free;
    });
    return { done: async () => ran, restore: () => spy.mockRestore() };
  }

  it('a volunteer leaves and the places are lowered to those left at once: the team stays within the new number, the one waiting is not told of a place', async () => {
    const id = await fullTeam('Lowered while leaving fair');
    const hook = afterPromotionRead(id, () => missions().editMission(id, 0, 'two', { slots: 2 }, COORD));
    try {
      expect(await missions().cancelByVolunteer(id, C)).toBe('released');
    } finally {
      hook.restore();
    }
    expect(await hook.done()).toMatchObject({ status: 'saved', version: 1 });
    expect(await teamSize(id)).toBe(2);
    expect(await accepted(id)).toEqual([A, B]);
    expect(toldPromoted(id, W)).toBe(false);
    expect(await missions().accept(id, W)).toMatchObject({ status: 'already-waiting', position: 1 });
    // A place freed later goes to them, and they are told.
    expect(await missions().cancelByVolunteer(id, A)).toBe('released');
    expect(await accepted(id)).toEqual([B, W]);
    expect(toldPromoted(id, W)).toBe(true);
  });

  it('a promotion whose process stopped after taking the place, the places lowered meanwhile: the repair does not make the team one too many', async () => {
    const id = await fullTeam('Lowered while stopping fair');
    const hook = afterPromotionRead(id, () => missions().editMission(id, 0, 'two', { slots: 2 }, COORD));
    // The promotion's process stops right after it took the place.
    const real = MissionSeats.prototype.take;
    const take = vi.spyOn(MissionSeats.prototype, 'take').mockImplementation(async function (this: MissionSeats, m, userId) {
      const seat = await real.call(this, m, userId);
      if (userId === W && typeof seat === 'number') throw new Error('process stopped');
      return seat;
    });
    try {
      await expect(missions().cancelByVolunteer(id, C)).rejects.toThrow('process stopped');
    } finally {
      take.mockRestore();
      hook.restore();
    }
    expect(await hook.done()).toMatchObject({ status: 'saved', version: 1 });
    const at = time.now();
    try {
      time.advance(2 * 60_000);
      await missions().repairMission(id);
      expect(await teamSize(id)).toBe(2);
      expect(await accepted(id)).toEqual([A, B]);
      expect(toldPromoted(id, W)).toBe(false);
      expect(await missions().accept(id, W)).toMatchObject({ status: 'already-waiting', position: 1 });
    } finally {
      time.set(at);
    }
  });

  it('"cannot come" answered to a reminder (under the mission\'s lock): the next in line moves up at once and is told', async () => {
    const id = await fullTeam('Reminder answered fair');
    const started = Date.now();
    expect(await missions().answerReminder(id, C, 24, false, 0)).toBe('released');
    // The place is checked under the lock the answer already holds, not by waiting for it again.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await accepted(id)).toEqual([A, B, W]);
    expect(toldPromoted(id, W)).toBe(true);
  });
});
