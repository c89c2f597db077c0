// Telegram's "Location" attachment lists places near the person as well as "Send my current
// location"; picking one of them sends a venue, which carries the place's coordinates. At the
// centre search's "where" question that is an answer, not a file the bot cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { openSearch } from '../rehab/rehab-helpers.js';

describe('a place picked from the location list', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('attack_shared_place');
    await app.bot.services.centres.seedIfEmpty('data/centres.sample.json');
  });
  afterAll(async () => app?.close());

  const venue = (chat: number, latitude: number, longitude: number) =>
    app.api.push(
      {
        message: {
          message_id: 900_000 + chat,
          date: Math.floor(Date.now() / 1000),
          from: { id: chat, is_bot: false, first_name: 'Test' },
          chat: { id: chat, type: 'private', first_name: 'Test' },
          location: { latitude, longitude },
          venue: { location: { latitude, longitude }, title: 'Областная больница', address: 'Караганда, ул. Ленина, 1' },
        },
      },
      { enqueue: false },
    );

  it('answers "where" with the place\'s coordinates, nearest centres first', async () => {
    const chat = 7301;
    await onboard(app, chat, 'Русский');
    await openSearch(app, chat, 'Русский');
    app.drain(chat);
    await app.send(venue(chat, 49.8, 73.1));
    const said = app.drain(chat).join('\n');
    expect(said).not.toContain('не могу прочитать');
    expect(app.last(chat).text).toContain('Кому нужна помощь?');
    await app.say(chat, '2');
    await app.say(chat, '1');
    expect(app.drain(chat).join('\n')).toMatch(/Караганд/);
  });

  it('a place abroad is turned down as a shared location abroad is', async () => {
    const chat = 7302;
    await onboard(app, chat);
    await openSearch(app, chat);
    app.drain(chat);
    await app.send(venue(chat, 55.75, 37.62));
    const said = app.drain(chat).join('\n');
    expect(said).toContain('This place is outside Kazakhstan');
    expect(said).toContain('Where should I look?');
    expect((await app.bot.sessions.peek(chat))?.scene?.answers.where).toBeUndefined();
  });
});
