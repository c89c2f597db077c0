// The staff topic's buttons name their question (Move to: Q-…, Grants), and the bot answered in
// the topic the tap came from: a button forged under one question's card for another question
// the operator may answer moved that other question and renamed, and wrote into, the topic it
// was tapped in, so a question's topic carried another question's number and topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { forumTopic, groupCallback } from '../support/group-updates.js';
import { askPerson, STAFF_CHAT } from '../features/inquiries/helpers.js';
import { iq } from '../../src/features/inquiries/callbacks.js';

const OPERATOR = 8701;

describe('attack: a topic button forged for another question', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('atk_forged_topic_tap', { adminIds: [OPERATOR], env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
  }, 60_000);
  afterAll(async () => app?.close());

  it('changes only the named question\'s own topic', async () => {
    await onboard(app, 6901);
    await onboard(app, 6902);
    const first = await askPerson(app, 6901, 'Who pays for the social taxi?');
    const second = await askPerson(app, 6902, 'Where do I get a hearing aid?');
    const firstThread = (await app.bot.services.inquiries.get(first))!.threadId!;
    const secondThread = (await app.bot.services.inquiries.get(second))!.threadId!;
    await app.send(groupCallback(app.api, STAFF_CHAT, firstThread, OPERATOR, iq.moveTo(second, 'grants'), { enqueue: false }));
    expect((await app.bot.services.inquiries.get(second))!.topic).toBe('grants');
    expect(forumTopic(app.api, STAFF_CHAT, firstThread)?.name).toContain(first);
    expect(forumTopic(app.api, STAFF_CHAT, secondThread)?.name).toBe(`${second} · Grants and microloans`);
    const inFirst = app.api.messagesTo(STAFF_CHAT).filter((m) => m.threadId === firstThread).map((m) => m.text ?? '');
    expect(inFirst.join('\n')).not.toContain(second);
  });
});
