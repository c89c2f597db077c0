// The playground page's API as a hostile page or user would try it, and the playground's refusals:
// a real token, another machine, another web site, forged buttons, junk bodies.
import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiServer } from '../../src/platform/bot-api/index.js';
import { createPageHandler } from '../../src/playground/page-server.js';
import { DEFAULT_STAFF_CHAT_ID, playgroundPersonas } from '../../src/playground/personas.js';
import { repoRoot } from '../support/service-processes.js';
import { nodeArgsFor } from '../support/ts-entries.js';

describe('playground page API', () => {
  let api: BotApiServer;
  const personas = playgroundPersonas([]);
  const dana = personas.find((p) => p.key === 'volunteer')!;
  beforeAll(async () => {
    let page: ReturnType<typeof createPageHandler> | undefined;
    api = new BotApiServer({ fallback: (req, res) => page!(req, res) });
    page = createPageHandler({ api, personas, staffChatId: DEFAULT_STAFF_CHAT_ID });
    await api.start();
  });
  afterAll(async () => api.stop());

  const send = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${api.apiRoot}/api/send`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('serves the page with a policy that loads nothing from elsewhere', async () => {
    const res = await fetch(`${api.apiRoot}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('<label for="composer-input"');
    // No address outside this server anywhere in the page's files.
    for (const file of ['/', '/app.js', '/map.js', '/i18n.js', '/style.css']) {
      const text = await (await fetch(`${api.apiRoot}${file}`)).text();
      expect(text, file).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
  });

  it('listens on 127.0.0.1 only and refuses pages reached by another host name', async () => {
    expect(new URL(api.apiRoot).hostname).toBe('127.0.0.1');
    const port = new URL(api.apiRoot).port;
    const outside = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (outside) await expect(fetch(`http://${outside.address}:${port}/`)).rejects.toThrow();
    // DNS rebinding: a web site's name pointed at 127.0.0.1 gets nothing.
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: Number(port), path: '/api/personas', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(rebound).toBe(403);
  });

  it('turns down junk, forms from other sites, unknown people and forged buttons, and sends nothing for them', async () => {
    expect((await send('persona=volunteer', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await send('{not json')).status).toBe(400);
    expect((await send({ persona: 'volunteer', action: { type: 'text', text: '   ' } })).status).toBe(400);
    expect((await send({ persona: 'volunteer', action: { type: 'text', text: 'x'.repeat(4097) } })).status).toBe(400);
    expect((await send({ persona: 'volunteer', action: { type: 'location', latitude: 91, longitude: 10 } })).status).toBe(400);
    expect((await send({ persona: 'nobody', action: { type: 'text', text: 'hi' } })).status).toBe(404);
    expect((await send({ persona: 'volunteer', action: { type: 'callback', messageId: 1, data: 'ms:acc:anything' } })).status).toBe(409);
    expect(api.pendingUpdates).toBe(0);
    expect((await send('x'.repeat(70 * 1024)).catch(() => ({ status: 0 }))).status).not.toBe(200);
  });

  it('answers 413 to a body over 64 KB, in JSON or not, and stays up', async () => {
    const big = { persona: 'volunteer', action: { type: 'text', text: 'x'.repeat(70 * 1024) } };
    const res = await send(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'Too large.' });
    expect((await send('x'.repeat(70 * 1024))).status).toBe(413);
    expect(api.pendingUpdates).toBe(0);
    expect((await fetch(`${api.apiRoot}/api/personas`)).status).toBe(200);
  });

  it('turns a press into a callback only for a button that is on the message now', async () => {
    const msg = await (await fetch(`${api.apiRoot}/bot${api.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: dana.userId, text: 'Accept?', reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] } }),
    })).json() as { result: { message_id: number } };
    const ok = await send({ persona: 'volunteer', action: { type: 'callback', messageId: msg.result.message_id, data: 'yes' } });
    expect(ok.status).toBe(200);
    const chat = await (await fetch(`${api.apiRoot}/api/chat?persona=volunteer`)).json() as { messages: Array<{ from: string; text?: string }> };
    expect(chat.messages.map((m) => m.text)).toEqual(['Accept?']);
    expect(api.pendingUpdates).toBe(1);
    // Typed commands arrive as commands, with the entity the bot's command handlers look for.
    await send({ persona: 'volunteer', action: { type: 'text', text: '/start' } });
    const lastUpdate = (await (await fetch(`${api.apiRoot}/bot${api.token}/getUpdates`)).json()) as { result: Array<{ message?: { entities?: unknown[] } }> };
    expect(lastUpdate.result.at(-1)?.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
  });

  it('takes a burst from several people at once: each message recorded once, in its own chat, with its own update', async () => {
    const people = ['citizen-kk', 'citizen-ru', 'citizen-en'];
    const before = api.pendingUpdates;
    const sends = Array.from({ length: 90 }, (_, i) => send({ persona: people[i % 3], action: { type: 'text', text: `burst ${i}` } }));
    const answers = await Promise.all(sends);
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as { updateId: number }).updateId));
    expect(new Set(ids).size).toBe(90);
    expect(api.pendingUpdates).toBe(before + 90);
    for (const [p, persona] of people.entries()) {
      const chat = (await (await fetch(`${api.apiRoot}/api/chat?persona=${persona}`)).json()) as { messages: Array<{ text?: string }> };
      const texts = chat.messages.map((m) => m.text).filter((t) => t?.startsWith('burst '));
      expect(texts.sort(), persona).toEqual(Array.from({ length: 30 }, (_, i) => `burst ${i * 3 + p}`).sort());
    }
  });

  it('offers a document for download under a safe name', async () => {
    const form = new FormData();
    form.set('chat_id', String(dana.userId));
    form.set('document', new Blob(['a,b\n1,2\n']), '../../etc/passwd x.csv');
    const sent = await (await fetch(`${api.apiRoot}/bot${api.token}/sendDocument`, { method: 'POST', body: form })).json() as { result: { message_id: number } };
    const res = await fetch(`${api.apiRoot}/api/file?persona=volunteer&message=${sent.result.message_id}`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=".._.._etc_passwd_x.csv"');
    expect(await res.text()).toBe('a,b\n1,2\n');
    expect((await fetch(`${api.apiRoot}/api/file?persona=volunteer&message=9999`)).status).toBe(404);
  });
});

describe('playground start-up', () => {
  it('refuses to start with a bot token, saying why', async () => {
    const child = spawn(process.execPath, nodeArgsFor('src/playground-main.ts'), {
      cwd: repoRoot(),
      env: { ...process.env, BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('The playground runs without a bot token');
    expect(output).not.toContain('ABCDEFGHIJ');
  });
});
