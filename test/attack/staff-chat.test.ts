import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { groupCallback, groupText } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT, threadText } from '../features/inquiries/helpers.js';

const OPERATOR = 8001;
const REVIEWER = 8002;
const REVOKED = 8003;
const STRANGER = 8004;
const OTHER_GROUP = -1009999999999;

describe('attack: staff supergroup through the mailbox', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  beforeAll(async () => {
    delivery = new RecordingDelivery();
    app = await createSceneHarness('atk_staff', { delivery, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
    for (const [id, roles] of [[OPERATOR, ['operator']], [REVIEWER, ['reviewer']], [REVOKED, ['operator']]] as const) {
      await app.bot.services.users.makeStaff(id, id, 'en', 1);
      await app.bot.services.access.grant(id, { roles: [...roles], regions: null, topics: null }, 0);
    }
  });
  afterAll(async () => app?.close());

  const relays = (chat: number) => delivery.to(chat).filter((j) => j.kind === 'inquiry-relay');

  it('a burst of operator replies is relayed once each, in order', async () => {
    const chat = 6101;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Who pays for the social taxi?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const updates = Array.from({ length: 8 }, (_, i) => groupText(app.api, STAFF_CHAT, threadId, OPERATOR, `burst ${i}`, { enqueue: false }));
    await Promise.all(updates.map((u) => app.send(u)));
    // the same updates delivered again
    await Promise.all(updates.map((u) => app.send(u)));
    const jobs = relays(chat);
    expect(jobs.map((j) => j.text.split('\n\n')[1])).toEqual(updates.map((_, i) => `burst ${i}`));
    const times = jobs.map((j) => new Date(j.notBefore!).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const inquiry = await app.bot.services.inquiries.get(ref);
    const texts = app.bot.services.inquiries.messages(inquiry!).map((m) => m.text);
    expect(texts.filter((t) => t?.startsWith('burst '))).toHaveLength(8);
  });

  it('a message and a callback from another group are ignored', async () => {
    const chat = 6102;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How do I appeal the disability decision?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const before = relays(chat).length;
    const callsBefore = app.api.calls?.length;
    await app.send(groupText(app.api, OTHER_GROUP, threadId, OPERATOR, 'from elsewhere', { enqueue: false }));
    await app.send(app.api.callback(OTHER_GROUP, `iq:close:${ref}`, undefined, { userId: OPERATOR, threadId, enqueue: false }));
    await app.send(groupText(app.api, OTHER_GROUP, threadId, STRANGER, '/close', { enqueue: false }));
    expect(relays(chat).length).toBe(before);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('open');
    expect(app.api.messagesTo(OTHER_GROUP)).toHaveLength(0);
    void callsBefore;
  });

  it('a callback from the staff chat by someone without staff access changes nothing', async () => {
    const chat = 6103;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where do I get a wheelchair?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    for (const action of ['close', 'take', 'move']) {
      await app.send(groupCallback(app.api, STAFF_CHAT, threadId, STRANGER, `iq:${action}:${ref}`, { enqueue: false }));
    }
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, STRANGER, `iq:mv:${ref}:2`, { enqueue: false }));
    const inq = await app.bot.services.inquiries.get(ref);
    expect(inq?.status).toBe('open');
    expect(inq?.topic).toBe('rehab');
    expect(relays(chat)).toHaveLength(0);
    expect(threadText(app, threadId).join('\n')).not.toMatch(/taken|closed|moved/i);
  });

  it('a reviewer typing in a topic is refused; nothing reaches the citizen', async () => {
    const chat = 6104;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'What documents for the assessment?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, REVIEWER, 'reviewer says hi', { enqueue: false }));
    await app.send(groupText(app.api, STAFF_CHAT, threadId, REVIEWER, '/close', { enqueue: false }));
    expect(relays(chat)).toHaveLength(0);
    expect((await app.bot.services.inquiries.get(ref))?.status).toBe('open');
    expect(threadText(app, threadId).join('\n')).toContain(`You cannot answer question ${ref}`);
  });

  it('a revoked operator can neither reply nor close', async () => {
    const chat = 6105;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'How long does the assessment take?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await app.send(groupText(app.api, STAFF_CHAT, threadId, REVOKED, 'before revoke', { enqueue: false }));
    expect(relays(chat)).toHaveLength(1);
    expect(await app.bot.services.access.revoke(REVOKED)).toBe(true);
    await app.send(groupText(app.api, STAFF_CHAT, threadId, REVOKED, 'after revoke', { enqueue: false }));
    await app.send(groupText(app.api, STAFF_CHAT, threadId, REVOKED, '/close', { enqueue: false }));
    await app.send(groupCallback(app.api, STAFF_CHAT, threadId, REVOKED, `iq:close:${ref}`, { enqueue: false }));
    expect(relays(chat)).toHaveLength(1);
    expect((await app.bot.services.inquiries.get(ref))?.status).not.toBe('closed');
  });
});
