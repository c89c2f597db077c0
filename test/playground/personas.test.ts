// The playground's people as the issue promises them: an admin taken from ADMIN_IDS (or a default
// one), each person their own Telegram user and chat, and a broadcast sent by the admin that
// arrives for the citizens in their three languages through the real delivery queue; the staff CSV
// export as a download.
// Driven through the page's own API (what its buttons and message box post), without a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_ID, playgroundPersonas, type Persona } from '../../src/playground/personas.js';
import type { PageChat } from '../../src/playground/views.js';
import { startPlayground, type Playground } from './playground-process.js';
import { pageClient, type PageClient } from './page-client.js';

const ADMIN_ID = 7_199_999;

describe('playground personas', () => {
  let pg: Playground;
  let page: PageClient;
  const chat = (persona: string) => page.chat(persona);
  const say = (persona: string, text: string) => page.say(persona, text);
  const seeBot = (persona: string, fragment: string, after?: number, timeoutMs?: number) => page.seeBot(persona, fragment, after, timeoutMs);
  const tap = (persona: string, label: string) => page.tap(persona, label);

  beforeAll(async () => {
    pg = await startPlayground('pg_personas', { ADMIN_IDS: `${ADMIN_ID},42` });
    page = pageClient(pg.url);
  }, 180_000);
  afterAll(async () => pg?.stop());

  it('takes the admin from ADMIN_IDS, or a default admin, and gives everyone their own user', async () => {
    const { personas } = (await (await fetch(`${pg.url}api/personas`)).json()) as { personas: Persona[] };
    expect(personas.find((p) => p.role === 'admin')?.userId).toBe(ADMIN_ID);
    expect(personas.filter((p) => p.role === 'citizen').map((p) => p.languageCode).sort()).toEqual(['en', 'kk', 'ru']);
    expect(personas.map((p) => p.role)).toEqual(expect.arrayContaining(['volunteer', 'staff', 'admin']));
    expect(new Set(personas.map((p) => p.userId)).size).toBe(personas.length);
    expect(playgroundPersonas([]).find((p) => p.role === 'admin')?.userId).toBe(DEFAULT_ADMIN_ID);
  });

  it('lets the admin send a broadcast that each citizen gets in their own language', async () => {
    const citizens = [
      { key: 'citizen-kk', language: 'Қазақша', text: 'Ертең орталық жабық.' },
      { key: 'citizen-ru', language: 'Русский', text: 'Завтра центр закрыт.' },
      { key: 'citizen-en', language: 'English', text: 'The centre is closed tomorrow.' },
    ];
    for (const c of citizens) {
      await say(c.key, '/start');
      await seeBot(c.key, '', 0);
      await tap(c.key, c.language);
    }
    // The chats are apart: nothing the others did is in the admin's chat.
    expect((await chat('admin')).messages).toEqual([]);

    await say('admin', '/start');
    await seeBot('admin', '');
    await tap('admin', 'English');
    const chosen = (await chat('admin')).messages.at(-1)?.id ?? 0;
    await say('admin', '/menu');
    await seeBot('admin', 'Main menu', chosen);
    await tap('admin', 'Staff');
    await tap('admin', 'Send an announcement');
    await tap('admin', 'Қазақша');
    await tap('admin', 'Русский');
    await tap('admin', 'English');
    await tap('admin', 'Done');
    for (const c of citizens) {
      const seen = (await chat('admin')).messages.at(-1)?.id ?? 0;
      await say('admin', c.text);
      await seeBot('admin', '', seen);
    }
    await tap('admin', 'Everyone');
    await tap('admin', 'All regions');
    await tap('admin', 'All languages');
    await tap('admin', 'Send now');
    await tap('admin', 'Send the announcement');

    for (const c of citizens) {
      const got = await seeBot(c.key, c.text, 0, 60_000);
      // Only their own language's version reaches them.
      const texts = got.messages.filter((m) => m.from === 'bot').map((m) => m.text ?? '').join('\n');
      for (const other of citizens.filter((o) => o !== c)) expect(texts).not.toContain(other.text);
    }
  }, 240_000);

  it("gives the admin the staff CSV export as a file to download", async () => {
    const last = (await chat('admin')).messages.at(-1)?.id ?? 0;
    await say('admin', '/menu');
    await seeBot('admin', 'Main menu', last);
    await tap('admin', 'Staff');
    await tap('admin', 'Export applications');
    await tap('admin', 'Masked');
    const until = Date.now() + 60_000;
    let file: PageChat['messages'][number] | undefined;
    while (!(file = (await chat('admin')).messages.find((m) => m.id > last && m.document))) {
      if (Date.now() > until) throw new Error(`no file: ${JSON.stringify((await chat('admin')).messages.slice(-2))}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(file.document!.filename).toMatch(/\.csv$/);
    const download = await fetch(`${pg.url}api/file?persona=admin&message=${file.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    expect((await download.text()).split('\n')[0]).toMatch(/^\uFEFF?ref,submitted_at_kz,programme,status/);
    // Another person cannot fetch it through their own chat.
    expect((await fetch(`${pg.url}api/file?persona=citizen-en&message=${file.id}`)).status).toBe(404);
  }, 120_000);
});
