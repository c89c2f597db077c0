// "Still coming?" is asked 24 and 2 hours before the start. When the delivery queue was away (Redis
// stopped, a long backlog) both come due together once it is back: the volunteer was asked about
// the start "in 24 hours" one hour before it, next to "in 2 hours". A reminder overtaken by the
// next one is dropped; the next one is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, type RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { addVolunteer, clock, HOUR, mission } from '../volunteer/helpers.js';

const COORDINATOR = 9800;
const VOLUNTEER = 9801;

describe('attack: reminders sent late, after the queue was away', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  const time = clock();
  beforeAll(async () => {
    app = await createSceneHarness('atk_reminder_overtaken', { now: time.now });
    delivery = app.delivery as RecordingDelivery;
    await app.bot.services.missions.init();
    await addVolunteer(app, VOLUNTEER, 'en', { region: 'ulytau' });
  }, 60_000);
  afterAll(async () => app?.close());

  it('the one-day reminder is not sent once the two-hour one is due; late but before its successor, it still is', async () => {
    const missions = app.bot.services.missions;
    const start = new Date(time.now().getTime() + 3 * 24 * HOUR);
    const id = String((await missions.publish(mission(time.now(), { region: 'ulytau', startsAt: start }), COORDINATOR)).mission._id);
    expect((await missions.accept(id, VOLUNTEER)).status).toBe('accepted');
    const r24 = delivery.jobs.find((j) => j.id === `mr24-${id}-${VOLUNTEER}`)!;
    const r2 = delivery.jobs.find((j) => j.id === `mr2-${id}-${VOLUNTEER}`)!;

    // Twenty hours late: still the next reminder to come.
    time.set(new Date(start.getTime() - 4 * HOUR));
    expect(await missions.isDeliveryWanted(r24)).toBe(true);

    time.set(new Date(start.getTime() - HOUR));
    expect(await missions.isDeliveryWanted(r24)).toBe(false);
    expect(await missions.isDeliveryWanted(r2)).toBe(true);
  }, 60_000);
});
