// "Send me the file" under a citizen's file whose name holds an IIN (relay.ts, file-to-operator.ts)
// copies a personal document into whoever's private chat the tap came from: it must go only to
// someone who may answer that question, only that question's file, and nothing once the person
// deleted their data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { askPerson, eraseMyData, STAFF_CHAT } from '../features/inquiries/helpers.js';
import { messagesInThread } from '../support/group-updates.js';
import { iq } from '../../src/features/inquiries/callbacks.js';

const OPERATOR = 8101;
const REVOKED = 8102;
const OTHER_REGION = 8103;
const STRANGER = 8104;
const OTHER_GROUP = -1009999999998;
const IIN = '950101300123';

describe('attack: the button that sends a citizen\'s file to an operator', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('atk_file_button', { delivery: new RecordingDelivery(), env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
    for (const [id, regions] of [[OPERATOR, null], [REVOKED, null], [OTHER_REGION, ['astana']]] as const) {
      await app.bot.services.users.makeStaff(id, id, 'en', 1);
      await app.bot.services.access.grant(id, { roles: ['operator'], regions: regions ? [...regions] : null, topics: null }, 0);
    }
    for (const id of [OPERATOR, REVOKED, OTHER_REGION, STRANGER]) await onboard(app, id);
  });
  afterAll(async () => app?.close());

  const filesTo = (chat: number) => app.api.messagesTo(chat).filter((m) => m.method === 'copyMessage');
  /** A question from Almaty with a file named with an IIN; its topic and the button under the note. */
  async function questionWithFile(chat: number): Promise<{ ref: string; threadId: number; button: string; fileId: number }> {
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is this the right certificate?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    const sent = app.api.document(chat, { enqueue: false, fileName: `IIN ${IIN}.pdf` });
    await app.send(sent);
    const button = messagesInThread(app.api, STAFF_CHAT, threadId).at(-1)!.callbackData[0]![0]!;
    return { ref, threadId, button, fileId: Number((sent.message as { message_id: number }).message_id) };
  }
  async function tap(chat: number, threadId: number | undefined, userId: number, data: string): Promise<string | undefined> {
    const update = app.api.callback(chat, data, undefined, { userId, ...(threadId === undefined ? {} : { threadId }), enqueue: false });
    await app.send(update);
    const id = (update.callback_query as { id: string }).id;
    const answer = app.api.callsOf('answerCallbackQuery').find((c) => (c.payload as { callback_query_id: string }).callback_query_id === id);
    return (answer?.payload as { text?: string } | undefined)?.text;
  }

  it('someone without staff access, a revoked operator and one for another region are refused and audited; nothing is sent to them', async () => {
    const { ref, threadId, button } = await questionWithFile(6201);
    expect(await app.bot.services.access.revoke(REVOKED)).toBe(true);
    for (const userId of [STRANGER, REVOKED, OTHER_REGION]) {
      expect(await tap(STAFF_CHAT, threadId, userId, button)).toBe(`You cannot answer question ${ref}: its topic or region is outside your access.`);
      expect(filesTo(userId)).toHaveLength(0);
    }
    const denied = (await app.bot.services.audit.recent(10, { action: 'inquiry.denied' })).map((a) => a.actorId);
    expect(denied).toEqual(expect.arrayContaining([STRANGER, REVOKED, OTHER_REGION]));
    // The one who may answer gets it.
    expect(await tap(STAFF_CHAT, threadId, OPERATOR, button)).toContain(ref);
    expect(filesTo(OPERATOR).at(-1)?.fileNames).toEqual([`IIN ${IIN}.pdf`]);
  });

  it('a forged button: the id of a text message of the question, of a message that never was: nothing is sent', async () => {
    // Message ids count per chat: the id names a message of this question's own person, read from
    // its record, so another person's file cannot be reached through it.
    const mine = await questionWithFile(6202);
    await app.say(6202, 'And the old one is attached too.');
    const before = filesTo(OPERATOR).length;
    const textId = app.bot.services.inquiries.messages((await app.bot.services.inquiries.get(mine.ref))!).find((m) => m.media === undefined && m.messageId !== undefined)!.messageId!;
    for (const data of [iq.file(mine.ref, textId), iq.file(mine.ref, 999_999)]) {
      expect(await tap(STAFF_CHAT, mine.threadId, OPERATOR, data)).toBe('This button is no longer valid.');
    }
    expect(filesTo(OPERATOR)).toHaveLength(before);
  });

  it('the button tapped in a private chat or from another group does nothing', async () => {
    const { button } = await questionWithFile(6204);
    const before = filesTo(OPERATOR).length;
    await tap(OPERATOR, undefined, OPERATOR, button);
    await tap(OTHER_GROUP, 1, OPERATOR, button);
    expect(filesTo(OPERATOR)).toHaveLength(before);
    expect(app.api.messagesTo(OTHER_GROUP)).toHaveLength(0);
  });

  it('after "Delete my data" the button gives nothing', async () => {
    const chat = 6205;
    const { threadId, button } = await questionWithFile(chat);
    await eraseMyData(app, chat);
    const before = filesTo(OPERATOR).length;
    expect(await tap(STAFF_CHAT, threadId, OPERATOR, button)).toBe('This button is no longer valid.');
    expect(filesTo(OPERATOR)).toHaveLength(before);
  });
});
