// "Delete my data" for a volunteer whose invitation or cancellation notice was withheld (the
// coordinator lost access before it went out): no record keeps their Telegram id afterwards, and
// the volunteers still waiting to be told are told, once each, by the next coordinator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { withheldModel } from '../../src/features/volunteer/mission-withheld.model.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const ROGUE = 710;
const SECOND = 711;

describe('attack: a volunteer erasing their data while a message to them is withheld', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_erase_withheld', { now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  const erase = async (userId: number) => {
    await app.bot.services.missions.eraseVolunteer(userId);
    await app.bot.services.volunteers.remove(userId);
  };

  it('a held invitation: the id is gone, and the confirmation invites only the others', async () => {
    await addVolunteer(app, 801, 'en');
    await addVolunteer(app, 802, 'en');
    const id = String((await app.bot.services.missions.publish(mission(time.now()), ROGUE)).mission._id);
    await app.bot.services.missions.invitationWithheld(id, 801, ROGUE, undefined);
    await app.bot.services.missions.invitationWithheld(id, 802, ROGUE, undefined);
    await erase(801);
    expect(await withheldModel(app.mongo).countDocuments({ userId: 801 })).toBe(0);
    expect(await app.bot.services.missions.heldInvitations(id)).toEqual([802]);
  });

  it('a withheld cancellation notice: the id is gone; those not told are told once, those told are not told again', async () => {
    for (const u of [811, 812, 813]) await addVolunteer(app, u, 'en');
    const id = String((await app.bot.services.missions.publish(mission(time.now(), { title: 'Cancelled one' }), ROGUE)).mission._id);
    for (const u of [811, 812, 813]) await app.bot.services.missions.accept(id, u);
    await app.bot.services.missions.cancelMission(id, ROGUE);
    // 811's notice went out; 812's and 813's were withheld. 812 then erases their data.
    await app.bot.services.missions.markCancellationWithheld(id, ROGUE, 812);
    await app.bot.services.missions.markCancellationWithheld(id, ROGUE, 813);
    await erase(812);
    expect(await withheldModel(app.mongo).countDocuments({ userId: 812 })).toBe(0);
    const before = delivery.jobs.length;
    expect(await app.bot.services.missions.confirmCancellation(id, SECOND)).toEqual({ told: 1 });
    expect(delivery.jobs.slice(before).map((j) => j.chatId)).toEqual([813]);
  });

  it('the only volunteer not told erases their data: nobody already told is told again', async () => {
    for (const u of [821, 822]) await addVolunteer(app, u, 'en');
    const id = String((await app.bot.services.missions.publish(mission(time.now(), { title: 'Cancelled two' }), ROGUE)).mission._id);
    for (const u of [821, 822]) await app.bot.services.missions.accept(id, u);
    await app.bot.services.missions.cancelMission(id, ROGUE);
    await app.bot.services.missions.markCancellationWithheld(id, ROGUE, 822);
    await erase(822);
    expect(await withheldModel(app.mongo).countDocuments({ userId: 822 })).toBe(0);
    const before = delivery.jobs.length;
    expect(await app.bot.services.missions.confirmCancellation(id, SECOND)).toEqual({ told: 0 });
    expect(delivery.jobs.slice(before)).toEqual([]);
  });
});
