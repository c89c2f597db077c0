import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { IDEA, IIN, NOW, openApplication, refIn } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describe('grant application draft', () => {
  let clock = NOW;
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('keeps a draft for 7 days and offers it again, also after a restart', async () => {
    const first = await createTestApp('grant_draft', { now: () => clock });
    apps.push(first);
    await onboard(first, 301);
    await openApplication(first, 301);
    await first.say(301, '1');
    await first.say(301, 'Aliya Sarsenbayeva');
    first.drain(301);
    await first.command(301, 'menu');
    expect(first.drain(301).join('\n')).toContain('saved for 7 days');

    // A new process over the same Redis prefix and database, two days later: the first one is gone.
    await first.stop();
    clock = new Date(NOW.getTime() + 2 * DAY);
    const second = await createTestApp('grant_draft', { now: () => clock, mongoUri: first.mongoUri, redisPrefix: first.config.REDIS_PREFIX });
    apps.push(second);
    // Telegram's update ids keep growing across restarts; a fresh built-in Bot API starts at 1 again,
    // which the shared Redis would take for updates already handled.
    second.api.nextUpdateId = 100_000;
    await openApplication(second, 301);
    const offer = second.drain(301).join('\n');
    expect(offer).toContain('You have an unfinished form "Family business support application" from 20.11.2026');
    await second.say(301, '1');
    expect(second.last(301).text).toContain('Please type your IIN');
    for (const answer of [IIN.adultA, '+77011234567', 'Astana', '3', '5', '2', '9', IDEA, '1 600 000', '2026', '1']) await second.say(301, answer);
    const summary = second.last(301).text;
    expect(summary).toContain('Full name: Aliya Sarsenbayeva');
    expect(summary).toContain('Support: Grant for a new business idea');
    await second.say(301, '1');
    refIn(second.drain(301));
  });

  it('drops a draft older than 7 days and starts afresh', async () => {
    const app = apps[1]!;
    await onboard(app, 302);
    await openApplication(app, 302);
    await app.say(302, '2');
    await app.command(302, 'menu');
    clock = new Date(clock.getTime() + 8 * DAY);
    app.drain(302);
    await openApplication(app, 302);
    const texts = app.drain(302).join('\n');
    expect(texts).not.toContain('unfinished form');
    expect(app.last(302).text).toContain('What support are you applying for?');
  });
});
