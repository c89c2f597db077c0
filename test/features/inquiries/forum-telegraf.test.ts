import { forumTopic, groupCallback, groupText, messagesInThread } from '../../support/group-updates.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, onboard, RecordingDelivery, type TestApp } from '../../support/app-harness.js';
import { askPerson, STAFF_CHAT, threadText } from './helpers.js';

const OPERATOR = 7101;

// The same staff group relay on the Telegraf runtime: group updates reach the feature there too.
describe('staff forum relay on Telegraf', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('inq_telegraf', { framework: 'telegraf', adminIds: [OPERATOR], env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates the topic, relays an answer as a queued message, and closes the topic', async () => {
    const chat = 5201;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Can I get adaptive swimming lessons for my daughter?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(threadText(app, threadId).join('\n')).toContain(`Question ${ref}`);
    await app.send(groupText(app.api, STAFF_CHAT, threadId, OPERATOR, 'Yes, at the regional sport school.', { enqueue: false }));
    const job = (app.delivery as RecordingDelivery).to(chat).find((j) => j.kind === 'inquiry-relay');
    expect(job?.text).toBe(`Operator, question ${ref}:\n\nYes, at the regional sport school.`);
    // Move to another topic: the choice is posted in the topic, the pick renames the topic.
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:move:${ref}`, { enqueue: false }));
    const prompt = messagesInThread(app.api, STAFF_CHAT, threadId).at(-1)!;
    expect(prompt.text).toBe(`Move ${ref} to which topic?`);
    expect(prompt.buttons.flat()).toEqual(['Rehabilitation and disability', 'Volunteering', 'Grants and microloans', 'Something else']);
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, prompt.callbackData[3]![0]!, { enqueue: false }));
    expect((await app.bot.services.inquiries.get(ref))?.topic).toBe('other');
    expect(forumTopic(app.api, STAFF_CHAT, threadId)?.name).toBe(`${ref} · Something else`);
    expect(await app.bot.services.audit.recent(5, { action: 'inquiry.move' })).toHaveLength(1);

    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, `iq:close:${ref}`, { enqueue: false }));
    expect(app.api.callsOf('closeForumTopic')).toHaveLength(1);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('closed');
  });

  it('a file whose name holds an IIN stays out of the topic; the button sends it to the operator\'s private chat', async () => {
    const chat = 5202;
    await onboard(app, chat);
    await onboard(app, OPERATOR);
    const ref = await askPerson(app, chat, 'The office wants this certificate, is it the right one?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(app.api.document(chat, { enqueue: false, fileName: 'справка_950101-300-123.pdf' }));
    const note = messagesInThread(app.api, STAFF_CHAT, threadId).at(-1)!;
    expect(note.text).toMatch(/^Citizen: \[document\]\n\nThe file's name contains an ID or card number/);
    expect(app.api.messagesTo(STAFF_CHAT).some((m) => m.method === 'copyMessage')).toBe(false);
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, OPERATOR, note.callbackData[0]![0]!, { enqueue: false }));
    expect(app.api.messagesTo(OPERATOR).filter((m) => m.method === 'copyMessage').map((m) => m.fileNames)).toEqual([['справка_950101-300-123.pdf']]);
  });
});
