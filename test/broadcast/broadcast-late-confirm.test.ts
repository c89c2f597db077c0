// A scheduled time that passes while the summary waits for "Send": nothing is sent, and the
// staff member is told why and what to do, rather than asked for a time no question awaits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp, type RecordingDelivery } from '../support/app-harness.js';
import { openCompose } from './helpers.js';
import { broadcastModel } from '../../src/features/broadcast/broadcast.model.js';

const STAFF = 5200;

describe('a scheduled time that passes at the summary', () => {
  let app: TestApp;
  let clock = new Date('2030-03-01T05:00:00Z'); // 10:00 in Kazakhstan
  beforeAll(async () => {
    app = await createTestApp('broadcast_late_confirm', { adminIds: [STAFF], now: () => clock });
    await onboard(app, STAFF, 'English');
  });
  afterAll(async () => app?.close());

  it('sends nothing and says to start again', async () => {
    await openCompose(app, STAFF);
    await app.tapLike(STAFF, 'English');
    await app.tapLike(STAFF, 'Done');
    await app.say(STAFF, 'Meeting at noon.');
    await app.tapLike(STAFF, 'Everyone');
    await app.tapLike(STAFF, 'All regions');
    await app.tapLike(STAFF, 'All languages');
    await app.tapLike(STAFF, 'At a set time');
    await app.say(STAFF, '01.03.2030 10:30');
    expect(app.drain(STAFF).join('\n')).toContain('will go to 1 person');
    clock = new Date('2030-03-01T05:31:00Z');
    await app.tapLike(STAFF, 'Send the announcement');
    expect(app.drain(STAFF).join('\n')).toContain('passed while the announcement was waiting for confirmation, so nothing was sent');
    expect(await broadcastModel(app.mongo).countDocuments({})).toBe(0);
    expect((app.delivery as RecordingDelivery).jobs).toHaveLength(0);
  });
});
