// The playground with its Redis stopped while a person writes, and its database stopped while a
// person presses a button: the page keeps working, what they sent waits in the built-in Bot API
// (the poller confirms nothing it could not store), and once the server is back the bot answers
// each message exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRestartableFerret, startRestartableRedis, type RestartableService } from '../support/restartable.js';
import { until } from '../support/until.js';
import { pageClient, type PageClient } from './page-client.js';
import { startPlayground, type Playground } from './playground-process.js';

describe('playground with Redis or the database stopped mid-way', () => {
  let redis: RestartableService;
  let ferret: RestartableService;
  let pg: Playground;
  let page: PageClient;
  beforeAll(async () => {
    redis = await startRestartableRedis();
    ferret = await startRestartableFerret();
    pg = await startPlayground('pg_outage', { REDIS_URL: redis.url, MONGODB_URI: `${ferret.url.replace(/\/[^/]*$/, '')}/pg_outage` });
    page = pageClient(pg.url);
  }, 240_000);
  afterAll(async () => {
    await pg?.stop();
    await redis?.destroy();
    await ferret?.destroy();
  });

  const count = async (persona: string, fragment: string) =>
    (await page.chat(persona)).messages.filter((m) => m.from === 'bot' && m.text?.includes(fragment)).length;
  /** How often the playground has logged `line` (its warnings go to its output). */
  const logged = (line: string) => pg.output().split(line).length - 1;
  /** Waits until the playground logs `line` once more than `before` times. */
  const untilLogged = (line: string, before: number) => until(`"${line}" in the playground's log`, () => logged(line) > before, 30_000);
  /**
   * A chat's updates are handled one at a time in arrival order, and an update id is taken only
   * once: when the bot has answered a later message, whatever came before is done, and no second
   * answer to it can follow. Waiting for that replaces waiting a fixed time for a duplicate.
   */
  async function settled(persona: string, text: string, answer: string): Promise<void> {
    const seen = await page.lastId(persona);
    await page.say(persona, text);
    await page.seeBot(persona, answer, seen);
  }

  it('answers a message sent while Redis was down once Redis is back, exactly once', async () => {
    await page.say('citizen-en', '/start');
    await page.seeBot('citizen-en', 'Please choose a language');
    await redis.stop();
    const refused = logged('could not store polled updates');
    await page.say('citizen-en', 'English');
    // The bot has fetched the message and could not store it: Redis is down.
    await untilLogged('could not store polled updates', refused);
    // Still the page, and the message is in the chat, waiting.
    expect((await page.chat('citizen-en')).messages.at(-1)).toMatchObject({ from: 'user', text: 'English' });
    await redis.start();
    await page.seeBot('citizen-en', 'The language is now English.', 0, 60_000);
    await settled('citizen-en', '/help', 'How to use Komek');
    expect(await count('citizen-en', 'The language is now English.')).toBe(1);
  }, 120_000);

  it('answers a button pressed while the database was down once it is back, exactly once', async () => {
    const before = await page.lastId('citizen-en');
    await ferret.stop();
    const failed = logged('update failed for a passing reason');
    await page.press('citizen-en', 'My data');
    // The bot has tried the press and put it back for later: the database is down.
    await untilLogged('update failed for a passing reason', failed);
    // Not yet: what the bot holds about them is in the database.
    expect(await count('citizen-en', 'This is everything Komek holds about you')).toBe(0);
    await ferret.start();
    await page.seeBot('citizen-en', 'This is everything Komek holds about you', before, 60_000);
    await settled('citizen-en', '/menu', 'Main menu');
    const after = (await page.chat('citizen-en')).messages.filter((m) => m.id > before && m.from === 'bot');
    expect(after.filter((m) => m.text?.startsWith('This is everything Komek holds about you'))).toHaveLength(1);
    // No apology for a lost update: it was kept and answered.
    expect(after.map((m) => m.text ?? '').join('\n')).not.toContain('Sorry, something went wrong on our side');
  }, 120_000);
});
