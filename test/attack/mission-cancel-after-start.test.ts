import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9500;
const CAME = 9501;

// «Cancel the mission» is offered only before the start, but the question «Cancel the mission?»
// stays on screen: a coordinator who taps «Yes, cancel it» once the mission has started cancelled
// it while the volunteers were at work. They were told it would not take place, and the hours of
// those who came could no longer be credited (attendance is not marked on a cancelled mission).
describe('a mission cancelled from a screen opened before its start, confirmed after it', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock(new Date('2026-11-20T06:00:00Z'));
  beforeAll(async () => {
    app = await createSceneHarness('attack_cancel_started', { adminIds: [COORDINATOR], now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
    await onboard(app, COORDINATOR);
    await addVolunteer(app, CAME, 'en', { region: 'atyrau' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('is not cancelled: the coordinator is told it has started, and the hours are credited after the end', async () => {
    const missions = app.bot.services.missions;
    const { mission: m } = await missions.publish(mission(time.now(), { title: 'River bank clean-up', region: 'atyrau', startsAt: new Date(time.now().getTime() + HOUR), durationHours: 3 }), COORDINATOR);
    const id = String(m._id);
    expect((await missions.accept(id, CAME)).status).toBe('accepted');

    // The screen is opened 20 minutes before the start and answered within its half hour.
    time.advance(40 * 60_000);
    await app.tapLike(COORDINATOR, 'Staff');
    await app.tapLike(COORDINATOR, 'Manage volunteer missions');
    await app.tapLike(COORDINATOR, 'River bank clean-up');
    await app.tapLike(COORDINATOR, 'Cancel the mission');
    expect(app.last(COORDINATOR).text).toContain('Cancel the mission?');
    app.drain(COORDINATOR);

    time.advance(25 * 60_000);
    await app.tapLike(COORDINATOR, 'Yes, cancel it');
    expect(app.drain(COORDINATOR).join('\n')).toContain('has already started');
    expect((await missions.get(id))?.status).toBe('open');
    expect(delivery.to(CAME).some((j) => j.id.startsWith(`mc-${id}`))).toBe(false);
    // Nor through the service directly.
    expect(await missions.cancelMission(id, COORDINATOR)).toBe('started');

    time.advance(3 * HOUR);
    expect(await missions.saveAttendance(id, [CAME], COORDINATOR)).toEqual({ credited: 1, attended: 1 });
    expect((await missions.hours(CAME)).total).toBe(3);
  }, 60_000);
});
