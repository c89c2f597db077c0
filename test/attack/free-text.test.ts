import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, RecordingDelivery, type TestApp } from '../support/app-harness.js';
import { askPerson, STAFF_CHAT, threadText } from '../features/inquiries/helpers.js';

const HOSTILE = [
  'а'.repeat(10_000),
  'why '.repeat(2_500),
  '😀😀😀🙏🏽👨‍👩‍👧',
  '\u202Eمرحبا\u200B\u200C\u200D\u2066test\u2069\uFEFF',
  '\u200B\u200B\u200B',
  '$where',
  '{"$gt":""}',
  '{"$where":"sleep(5000)"}',
  '.*',
  '((((((((((a',
  '__proto__',
  'constructor',
];

describe('attack: hostile free text at the main menu', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createSceneHarness('atk_free', { delivery: new RecordingDelivery(), env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_CHAT_LOCALE: 'en' } });
  });
  afterAll(async () => app?.close());

  it('each hostile text gets one clear answer, no apology, no crash', async () => {
    const chat = 6301;
    await onboard(app, chat);
    for (const text of HOSTILE) {
      const started = Date.now();
      await app.say(chat, text);
      const out = app.drain(chat);
      expect(out.length, JSON.stringify(text.slice(0, 20))).toBeGreaterThan(0);
      expect(out.join('\n')).not.toMatch(/Something went wrong|sorry/i);
      expect(Date.now() - started).toBeLessThan(3000);
    }
    expect(await app.bot.mailbox.deadLetters()).toEqual([]);
  });

  it('unanswered look-ups keep no IIN or phone number, however it is written', async () => {
    const chat = 6302;
    await onboard(app, chat);
    const secrets = ['zzqx 9001\u200B01300123', 'zzqx +7.701.234.56.78', 'zzqx ９００１０１３００１２３', 'zzqx 8/701/234/56/78'];
    for (const s of secrets) await app.say(chat, s);
    const logs = await app.mongo.collection('faqlogs').find({}).toArray();
    const stored = logs.map((l) => String(l.missText ?? '')).filter((t) => t.includes('zzqx')).join('\n');
    expect(stored).not.toMatch(/\d{3}/);
    expect(stored).not.toMatch(/[０-９]{3}/);
  });

  it('a 10,000-character question asked of a person reaches the operators', async () => {
    const chat = 6303;
    await onboard(app, chat);
    const long = `Please help, ${'my mother needs a wheelchair and '.repeat(300)}end`;
    const ref = await askPerson(app, chat, long);
    const threadId = (await app.bot.services.inquiries.get(ref))!.threadId!;
    expect(threadText(app, threadId).some((t) => t.startsWith('Citizen: Please help'))).toBe(true);
  });
});
