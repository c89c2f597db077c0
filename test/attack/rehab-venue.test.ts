// "Where should I look?": instead of their own location, people often pick a place in
// Telegram's location screen (the hospital where the child is treated, their street, a
// landmark). Telegram sends that as a venue, which carries a location. It is a place in
// Kazakhstan like any other and must give the nearest centres, not "I cannot read this".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';

const KARAGANDA_HOSPITAL = { latitude: 49.806, longitude: 73.085, title: 'Regional children\'s hospital', address: 'Karaganda, Bukhar-Zhyrau Ave, 1' };
const MOSCOW_HOSPITAL = { latitude: 55.7558, longitude: 37.6173, title: 'Hospital', address: 'Moscow' };

describe('rehab search: a venue shared for "where"', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_rehab_venue');
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  }, 60_000);
  afterAll(async () => app?.close());

  it('lists the centres nearest to the place, with distances', async () => {
    const chat = 41;
    await onboard(app, chat);
    await openSearch(app, chat);
    app.drain(chat);
    await app.send(app.api.venue(chat, KARAGANDA_HOSPITAL, { enqueue: false }));
    expect(app.drain(chat).join('\n')).toContain('Who needs help?');
    await app.say(chat, '1');
    app.drain(chat);
    await app.say(chat, '1');
    const text = app.drain(chat).join('\n');
    expect(text).toContain('Rehabilitation for children: the nearest to you first.');
    expect(text).toMatch(/^1\. Sample: Karaganda regional rehabilitation centre for children \(\d[\d.]* km\)$/m);
  });

  it('turns down a venue abroad as it does a location abroad', async () => {
    const chat = 42;
    await onboard(app, chat);
    await openSearch(app, chat);
    app.drain(chat);
    await app.send(app.api.venue(chat, MOSCOW_HOSPITAL, { enqueue: false }));
    expect(app.drain(chat).join('\n')).toContain('outside Kazakhstan');
  });
});
