// A volunteer's "Yes, I will help" reaches the service by a button whose data names the mission:
// a forged button, or an old invitation tapped after the volunteer changed their age, must not
// put a 14-17-year-old on a mission for adults, nor anyone on a mission of another region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { missionAssignmentModel } from '../../src/features/volunteer/mission-assignment.model.js';
import { missionCallbacks } from '../../src/features/volunteer/callbacks.js';
import { addVolunteer, clock, mission } from '../volunteer/helpers.js';

const STAFF = 700;

describe('attack: accepting a mission the volunteer does not fit', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_accept_fit', { adminIds: [STAFF], now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
  });
  afterAll(async () => app?.close());

  const statusOf = async (missionId: string, userId: number) =>
    (await missionAssignmentModel(app.mongo).findOne({ missionId, volunteerUserId: userId }).lean())?.status;
  const accept = async (chat: number, missionId: string) => {
    await app.send(app.api.callback(chat, missionCallbacks.encode.accept({ missionId }), undefined, { enqueue: false }));
    return app.drain(chat).join('\n');
  };

  it('a 16-year-old forging Accept for an adults-only mission gets no place and is told why', async () => {
    await onboard(app, 401);
    await addVolunteer(app, 401, 'en', { age: 16, guardianConsent: true });
    const id = String((await app.bot.services.missions.publish(mission(time.now()), STAFF)).mission._id);
    const out = await accept(401, id);
    expect(out).toContain('This mission is not open to you');
    expect(await statusOf(id, 401)).toBeUndefined();
    expect(await app.bot.services.missions.acceptedCount(id)).toBe(0);
  });

  it('a volunteer of another region forging Accept gets no place', async () => {
    await onboard(app, 402);
    await addVolunteer(app, 402, 'en', { region: 'almaty' });
    const id = String((await app.bot.services.missions.publish(mission(time.now()), STAFF)).mission._id);
    expect(await accept(402, id)).toContain('This mission is not open to you');
    expect(await statusOf(id, 402)).toBeUndefined();
  });

  it('an invitation sent to an adult is not accepted, nor delivered, once the profile says 16', async () => {
    await onboard(app, 403, 'Русский');
    await addVolunteer(app, 403, 'ru');
    const published = await app.bot.services.missions.publish(mission(time.now()), STAFF);
    const id = String(published.mission._id);
    const invite = delivery.jobs.find((j) => j.id === `mi-${id}-403`)!;
    expect(await app.bot.services.missions.isDeliveryWanted(invite)).toBe(true);
    await app.bot.services.volunteers.updateField(403, 'age', 16, { guardianConsent: true });
    expect(await app.bot.services.missions.isDeliveryWanted(invite)).toBe(false);
    expect(await accept(403, id)).toContain('Эта миссия вам не подходит');
    expect(await statusOf(id, 403)).toBeUndefined();
  });

  it('the invited volunteer still accepts; a place already held is still answered as held after a move', async () => {
    await onboard(app, 404);
    await addVolunteer(app, 404, 'en');
    const id = String((await app.bot.services.missions.publish(mission(time.now(), { minorsAllowed: true }), STAFF)).mission._id);
    expect(await accept(404, id)).toContain('You are on the team');
    await app.bot.services.volunteers.updateField(404, 'region', 'almaty');
    expect(await accept(404, id)).toContain('You are already on the team');
    expect(await statusOf(id, 404)).toBe('accepted');
  });
});
