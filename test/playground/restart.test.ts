// The playground killed (SIGKILL) and started again over the same Redis, database and chats file
// (as `npm run local` keeps them in .tmp/local): every chat is shown as it was, a button sent before
// the kill still works, and what the bot stored (the chosen language) is still there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PageChat } from '../../src/playground/views.js';
import { pageClient, type PageClient } from './page-client.js';
import { startPlayground, type Playground } from './playground-process.js';
import { testMongoUri } from '../support/isolation.js';
import { until } from '../support/until.js';

async function post(url: string, persona: string, action: unknown): Promise<void> {
  const res = await fetch(`${url}api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona, action }) });
  expect(res.status).toBe(200);
}

describe('playground restart', () => {
  let pg: Playground | undefined;
  let page: PageClient | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows every chat as it was after a SIGKILL, with its buttons working, in the language chosen before', async () => {
    dir = await mkdtemp(join(tmpdir(), 'komek-pg-restart-'));
    const env = {
      MONGODB_URI: testMongoUri('pg_restart'),
      REDIS_PREFIX: `pg-restart-${Date.now().toString(36)}`,
      PLAYGROUND_CHATS_FILE: join(dir, 'playground-chats.json'),
    };
    pg = await startPlayground('pg_restart', env);
    page = pageClient(pg.url);
    await post(pg.url, 'citizen-ru', { type: 'text', text: '/start' });
    await page.seeBot('citizen-ru', 'Выберите язык');
    await post(pg.url, 'citizen-ru', { type: 'text', text: 'English' });
    const before = await page.seeBot('citizen-ru', 'Main menu. What would you like to do?');
    const menu = before.messages.find((m) => m.from === 'bot' && m.text?.startsWith('Main menu'))!;
    const findCentre = menu.buttons!.flat().find((b) => b.text.includes('Find a rehabilitation centre'))!;

    const killed = pg.child;
    killed.kill('SIGKILL');
    await new Promise((resolve) => (killed.exitCode !== null || killed.signalCode !== null ? resolve(null) : killed.once('exit', resolve)));
    pg = await startPlayground('pg_restart', env);
    page = pageClient(pg.url);

    // The chat as it was: both sides, in order, with the menu's buttons.
    const after = (await (await fetch(`${pg.url}api/chat?persona=citizen-ru`)).json()) as PageChat;
    expect(after.messages).toEqual(before.messages);
    // A button from before the kill is still on its message, and the bot answers it.
    await post(pg.url, 'citizen-ru', { type: 'callback', messageId: menu.id, data: findCentre.data });
    await page.seeBot('citizen-ru', 'Where should I look?');
    // The language chosen before the kill holds for new messages too: a second English menu.
    const menus = (c: PageChat) => c.messages.filter((m) => m.from === 'bot' && m.text?.startsWith('Main menu. What would you like to do?')).length;
    const shown = menus(after);
    await post(pg.url, 'citizen-ru', { type: 'text', text: '/menu' });
    await until('an English menu after /menu', async () => menus(await page!.chat('citizen-ru')) > shown, 30_000, 150);
  }, 300_000);
});
