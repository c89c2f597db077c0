// Every Bot API method Komek's own code calls is one the built-in Bot API answers, and a method it
// does not have gets Telegram's 404 instead of a silent `true`: a call added to Komek without the
// emulator learning it fails here (and in every test that makes it), not in production only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, BOT_API_METHODS, BotApiServer } from '../../src/platform/bot-api/index.js';
import { repoRoot } from '../support/service-processes.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Bot API method names in `call('method', …)` and `{ method: 'method', … }` (how Komek's API
 * caller and reply mapping name them). Redis commands are upper case, so lower camel case only.
 */
function methodsKomekCalls(): Map<string, string> {
  const root = repoRoot();
  const found = new Map<string, string>();
  const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'scenes'))].filter(
    (file) => !relative(root, file).startsWith('src/platform/bot-api/'),
  );
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:\bcall\(\s*|\bmethod:\s*)'([a-z][A-Za-z]+)'/g)) {
      found.set(match[1]!, relative(root, file));
    }
  }
  return found;
}

describe('built-in Bot API methods', () => {
  let api: BotApiServer;
  beforeAll(async () => {
    api = new BotApiServer();
    await api.start();
  });
  afterAll(async () => api.stop());

  it('answers every method Komek calls', () => {
    const called = methodsKomekCalls();
    // The scan itself must see the calls it is meant to see.
    for (const known of ['getUpdates', 'sendMessage', 'editMessageText', 'answerCallbackQuery', 'sendDocument', 'sendVenue', 'copyMessage', 'createForumTopic', 'setMyCommands']) {
      expect([...called.keys()], known).toContain(known);
    }
    const implemented = new Set<string>(BOT_API_METHODS);
    const missing = [...called].filter(([method]) => !implemented.has(method)).map(([method, file]) => `${method} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has each listed method, answering it or refusing its arguments, never "not found"', () => {
    for (const method of BOT_API_METHODS) {
      if (method === 'getUpdates') continue; // long polling needs HTTP; covered by the client tests
      try {
        api.invoke(method, { chat_id: 4242, text: 'hello', message_id: 1, name: 'topic', latitude: 43.2, longitude: 76.9, title: 'A', address: 'B' });
      } catch (error) {
        expect(error, method).toBeInstanceOf(ApiError);
        expect((error as ApiError).status, `${method}: ${(error as ApiError).description}`).not.toBe(404);
      }
    }
  });

  it('answers a method it does not have with 404, like Telegram, and sends nothing', async () => {
    const before = api.messagesTo(4243).length;
    const res = await fetch(`${api.apiRoot}/bot${api.token}/sendPoll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: 4243, question: 'Which?', options: ['a', 'b'] }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    expect(() => api.invoke('restrictChatMember', { chat_id: 4243, user_id: 1 })).toThrow(expect.objectContaining({ status: 404 }) as Error);
    // Removing a member exists, for groups only, as in Telegram.
    expect(() => api.invoke('banChatMember', { chat_id: 4243, user_id: 1 })).toThrow(expect.objectContaining({ status: 400 }) as Error);
    expect(api.messagesTo(4243)).toHaveLength(before);
    // Method names are case-insensitive, as in Telegram.
    const lower = await fetch(`${api.apiRoot}/bot${api.token}/sendmessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: 4243, text: 'still here' }),
    });
    expect(lower.status).toBe(200);
    expect(api.lastMessageTo(4243)?.text).toBe('still here');
  });
});
