// "Delete my data" for a person with questions, stopped half-way (the database went away) and
// run again, as the chat's mailbox retries the update: the follow-ups still on their way into the
// staff topics go with the questions, and the erasure is on record once, however often it ran.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSceneHarness, type TestApp } from '../support/app-harness.js';
import { TopicMirrors } from '../../src/features/inquiries/topic-mirror.store.js';

const PERSON = 24_500;
const outage = () => Object.assign(new Error('FerretDB is not answering'), { code: 'ECONNRESET' });

describe('attack: erasing questions, run again after a failure', () => {
  let app: TestApp;
  const refs: string[] = [];

  beforeAll(async () => {
    app = await createSceneHarness('atk_inquiry_erase_retry');
    const { inquiries } = app.bot.services;
    for (const key of ['a', 'b']) {
      const created = await inquiries.create({ userId: PERSON, chatId: PERSON, locale: 'ru', topic: 'other', text: `Вопрос ${key}, мой номер 8 701 555 12 34`, submissionKey: `${PERSON}-${key}` });
      if (created.result !== 'created') throw new Error(`not created: ${created.result}`);
      refs.push(created.ref);
      // A follow-up on its way into the staff topic (the post failed, the repair pass would retry it).
      await inquiries.addCitizenMessage(created.ref, PERSON, { text: 'и ещё', chatId: PERSON, messageId: 40 });
      expect(await inquiries.topicMirrors.begin(created.ref, 40, new Date())).toBe('due');
    }
  });
  afterAll(async () => app?.close());

  it('leaves no follow-up of theirs waiting, and records the erasure once', async () => {
    const { inquiries, audit } = app.bot.services;
    const spy = vi.spyOn(TopicMirrors.prototype, 'forgetQuestions').mockRejectedValueOnce(outage());
    await expect(inquiries.eraseForUser(PERSON)).rejects.toThrow('FerretDB');
    spy.mockRestore();

    expect((await inquiries.eraseForUser(PERSON)).sort()).toEqual([...refs].sort());
    expect(await app.mongo.db!.collection('inquirytopicmirrors').countDocuments({ ref: { $in: refs } })).toBe(0);
    expect(await app.mongo.db!.collection('inquiries').countDocuments({ ref: { $in: refs } })).toBe(0);
    const erasures = (await audit.recent(50, { action: 'inquiry.erase' })).filter((l) => (l.details as { count?: number } | undefined)?.count === 2);
    expect(erasures).toHaveLength(1);
    expect(JSON.stringify(erasures)).not.toContain(String(PERSON));

    // A third run (the reply was lost again) finds nothing left and writes nothing more.
    expect(await inquiries.eraseForUser(PERSON)).toEqual([]);
    expect((await audit.recent(50, { action: 'inquiry.erase' })).filter((l) => (l.details as { count?: number } | undefined)?.count === 2)).toHaveLength(1);
  });
});
