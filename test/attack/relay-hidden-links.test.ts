// Operators paste answers from web pages and write links under words ("apply on the portal",
// the link on "portal": a text_link entity). The relay sends plain text, so the words arrived
// and the address did not: the person was told to use a portal with no way to find it. The
// same for a link under a photo's caption, and for answers written from the Staff menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { askPerson, STAFF_CHAT } from '../features/inquiries/helpers.js';

const OPERATOR = 8601;
const PORTAL = 'https://aleumet.egov.kz/services';
const text = 'Apply on the portal, then call us.';
const link = { type: 'text_link', offset: text.indexOf('portal'), length: 'portal'.length, url: PORTAL };

describe('attack: a link under an operator\'s words', () => {
  let app: TestApp;
  let delivery: RecordingDelivery;
  beforeAll(async () => {
    delivery = new RecordingDelivery();
    app = await createSceneHarness('atk_relay_links', { adminIds: [OPERATOR], delivery, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
  }, 60_000);
  afterAll(async () => app?.close());

  const inTopic = (threadId: number, body: Record<string, unknown>) =>
    app.send(app.api.push({
      message: {
        message_id: 90_000 + Math.floor(Math.random() * 10_000), date: Math.floor(Date.now() / 1000), message_thread_id: threadId, is_topic_message: true,
        chat: { id: STAFF_CHAT, type: 'supergroup', is_forum: true }, from: { id: OPERATOR, is_bot: false, first_name: 'Operator' }, ...body,
      },
    }, { enqueue: false }));

  it('reaches the person with the address, from the staff topic (text and caption)', async () => {
    const chat = 6801;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where do I apply for a wheelchair?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    await inTopic(threadId, { text, entities: [link] });
    await inTopic(threadId, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: text, caption_entities: [link] });
    const sent = delivery.to(chat).filter((j) => j.kind === 'inquiry-relay').map((j) => j.text);
    expect(sent).toHaveLength(2);
    for (const t of sent) expect(t).toContain(`portal (${PORTAL}), then call us.`);
  });

  it('reaches the person with the address, from the Staff menu', async () => {
    const chat = 6802;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where do I apply for a hearing aid?');
    await onboard(app, OPERATOR);
    await app.send(app.api.callback(OPERATOR, `iq:reply:${ref}`, undefined, { enqueue: false }));
    await app.send(app.api.push({
      message: { message_id: 91_000, date: Math.floor(Date.now() / 1000), chat: { id: OPERATOR, type: 'private' }, from: { id: OPERATOR, is_bot: false, first_name: 'Operator' }, text, entities: [link] },
    }, { enqueue: false }));
    const sent = delivery.to(chat).filter((j) => j.kind === 'inquiry-relay').map((j) => j.text);
    expect(sent.join('\n')).toContain(`portal (${PORTAL}), then call us.`);
  });
});
