// The reminder tick reads the questions waiting too long, and the person deletes their data before
// the reminder goes out. The reminder found the topic gone (deleted with the data), could not
// make a new one for a question that no longer exists, and took that for "no staff group": every
// operator in scope got a private "question Q-… has waited N minutes" for a question that was gone.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { onboard, type TestApp } from '../support/app-harness.js';
import { untilDeliveryIdle } from '../support/delivery-idle.js';
import { askPerson, sleep, STAFF_CHAT, startLiveRelay, SHORT_CHAT_GAP_MS, type LiveRelay, eraseMyData } from '../features/inquiries/helpers.js';
import { remindWaiting } from '../../src/features/inquiries/reminders.js';

const OPERATOR = 7911;

describe('attack: "Delete my data" while the reminder tick runs', () => {
  let relay: LiveRelay;
  let app: TestApp;

  beforeAll(async () => {
    relay = await startLiveRelay('atk_erase_reminder', OPERATOR, {}, SHORT_CHAT_GAP_MS);
    app = relay.app;
  });
  afterAll(async () => relay?.close());
  afterEach(() => vi.restoreAllMocks());

  const eraseData = (chat: number) => eraseMyData(app, chat);

  it('reminds nobody of a question deleted between the look-up and the reminder', async () => {
    const chat = 5911;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Where can my son get a hearing test in Kokshetau?');
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    // Waiting too long (150 ms in the live relay).
    await sleep(250);
    const { inquiries } = app.bot.services;
    const waitingTooLong = inquiries.waitingTooLong.bind(inquiries);
    vi.spyOn(inquiries, 'waitingTooLong').mockImplementation(async () => {
      const waiting = await waitingTooLong();
      await eraseData(chat);
      return waiting;
    });
    const postsBefore = app.api.callsOf('sendMessage', STAFF_CHAT).length;
    await remindWaiting(app.bot.deps);
    vi.restoreAllMocks();
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(OPERATOR).filter((m) => m.text?.includes(ref))).toEqual([]);
    expect(app.api.callsOf('sendMessage', STAFF_CHAT).slice(postsBefore).filter((c) => c.payload.message_thread_id === threadId)).toEqual([]);
    expect(app.api.callsOf('createForumTopic', STAFF_CHAT).filter((c) => String(c.payload.name).startsWith(ref))).toHaveLength(1);
  });

  it('reminds nobody when the question is deleted just as the reminder is posted into its topic', async () => {
    const chat = 5912;
    await onboard(app, chat);
    const ref = await askPerson(app, chat, 'Is there a free speech therapist in Taldykorgan?');
    await sleep(250);
    const telegram = app.bot.deps.telegram!;
    const call = telegram.call.bind(telegram);
    let erased = false;
    vi.spyOn(telegram, 'call').mockImplementation(async (method: string, payload: Record<string, unknown>) => {
      if (!erased && method === 'sendMessage' && String(payload.text).includes('without an answer')) {
        erased = true;
        await eraseData(chat);
      }
      return call(method, payload);
    });
    await remindWaiting(app.bot.deps);
    vi.restoreAllMocks();
    expect(erased).toBe(true);
    await untilDeliveryIdle(app.config);
    expect(app.api.messagesTo(OPERATOR).filter((m) => m.text?.includes(ref))).toEqual([]);
    expect(app.api.callsOf('createForumTopic', STAFF_CHAT).filter((c) => String(c.payload.name).startsWith(ref))).toHaveLength(1);
  });
});
