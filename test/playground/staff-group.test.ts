// The staff group view: a supergroup with forum topics, as the question relay uses it. The bot's
// side is played through the Bot API directly (as Komek's runtime would call it); the staff
// member's side through the page in chromium.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { BotApiServer } from '../../src/platform/bot-api/index.js';
import { createPageHandler } from '../../src/playground/page-server.js';
import { DEFAULT_STAFF_CHAT_ID, playgroundPersonas } from '../../src/playground/personas.js';
import { openBrowser } from './playground-process.js';
import { seeBot, shot, type } from './page-steps.js';

describe('playground staff group with topics', () => {
  let api: BotApiServer;
  let browser: Browser;
  let page: Page;
  const call = async (method: string, body: Record<string, unknown>) => {
    const res = await fetch(`${api.apiRoot}/bot${api.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return ((await res.json()) as { result: Record<string, unknown> }).result;
  };
  beforeAll(async () => {
    let handler: ReturnType<typeof createPageHandler> | undefined;
    api = new BotApiServer({ fallback: (req, res) => handler!(req, res) });
    handler = createPageHandler({ api, personas: playgroundPersonas([]), staffChatId: DEFAULT_STAFF_CHAT_ID });
    await api.start();
    ({ browser, page } = await openBrowser({ width: 800, height: 800 }));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('shows topics, filters by topic, and posts the staff member’s answer in the chosen topic', async () => {
    onTestFailed(async () => {
      await shot(page, 'failure-group');
    });
    const grants = await call('createForumTopic', { chat_id: DEFAULT_STAFF_CHAT_ID, name: 'Question 1: grants' });
    const rehab = await call('createForumTopic', { chat_id: DEFAULT_STAFF_CHAT_ID, name: 'Question 2: rehabilitation' });
    await call('sendMessage', { chat_id: DEFAULT_STAFF_CHAT_ID, message_thread_id: grants.message_thread_id, text: 'Emma asks: how do I apply for a grant?' });
    await call('sendMessage', { chat_id: DEFAULT_STAFF_CHAT_ID, message_thread_id: rehab.message_thread_id, text: 'Ольга спрашивает: где логопед?' });

    await page.goto(`${api.apiRoot}/#group`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.getByRole('heading', { name: 'Staff group, writing as Marat' }).waitFor();
    await seeBot(page, 'how do I apply for a grant?');
    await seeBot(page, 'где логопед?');
    await page.getByRole('button', { name: 'Question 1: grants' }).click();
    expect(await page.locator('#log li.msg').allTextContents()).toEqual([expect.stringContaining('how do I apply for a grant?')]);
    await type(page, 'Apply in the bot: Family business support, then Apply.');
    await page.locator('#log li.msg.user').filter({ hasText: 'Apply in the bot' }).waitFor();
    await shot(page, 'g01-staff-group');

    const updates = (await call('getUpdates', {})) as unknown as Array<{ message: { from: { id: number }; chat: { id: number }; message_thread_id?: number; text: string } }>;
    const answer = updates.at(-1)!.message;
    expect(answer).toMatchObject({ chat: { id: DEFAULT_STAFF_CHAT_ID }, message_thread_id: grants.message_thread_id, text: 'Apply in the bot: Family business support, then Apply.' });
    expect(answer.from.id).toBe(playgroundPersonas([]).find((p) => p.role === 'staff')!.userId);

    // Closing a topic shows on the page.
    await call('closeForumTopic', { chat_id: DEFAULT_STAFF_CHAT_ID, message_thread_id: rehab.message_thread_id });
    await page.getByRole('button', { name: 'Question 2: rehabilitation (closed)' }).waitFor();
  });
});
