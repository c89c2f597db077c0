// The playground stopped and started again over the same Redis and database (as `npm run local`
// keeps them in .tmp/local): the bot still answers, and what it stored is still there.
import { afterAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from './playground-process.js';
import { testMongoUri } from '../support/isolation.js';

interface Chat {
  messages: Array<{ from: string; text?: string }>;
}

async function say(url: string, persona: string, text: string): Promise<void> {
  const res = await fetch(`${url}api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona, action: { type: 'text', text } }) });
  expect(res.status).toBe(200);
}

async function waitForBot(url: string, persona: string, fragment: string, timeoutMs = 30_000): Promise<Chat> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const chat = (await (await fetch(`${url}api/chat?persona=${persona}`)).json()) as Chat;
    if (chat.messages.some((m) => m.from === 'bot' && m.text?.includes(fragment))) return chat;
    if (Date.now() > until) throw new Error(`no "${fragment}" from the bot: ${JSON.stringify(chat.messages.slice(-3))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('playground restart', () => {
  let pg: Playground | undefined;
  afterAll(async () => pg?.stop());

  it('answers after a restart over the same data, in the language chosen before', async () => {
    const env = { MONGODB_URI: testMongoUri('pg_restart'), REDIS_PREFIX: `pg-restart-${Date.now().toString(36)}` };
    pg = await startPlayground('pg_restart', env);
    await say(pg.url, 'citizen-ru', '/start');
    await waitForBot(pg.url, 'citizen-ru', 'Выберите язык');
    await say(pg.url, 'citizen-ru', 'English');
    await waitForBot(pg.url, 'citizen-ru', 'The language is now English.');
    await pg.stop();

    pg = await startPlayground('pg_restart', env);
    await say(pg.url, 'citizen-ru', '/menu');
    // The chat on the page starts empty (the emulator keeps no history), the bot's records do not:
    // the Russian-speaking persona still gets English, as chosen before the restart.
    const chat = await waitForBot(pg.url, 'citizen-ru', 'Main menu. What would you like to do?');
    expect(chat.messages[0]).toMatchObject({ from: 'user', text: '/menu' });
  }, 300_000);
});
