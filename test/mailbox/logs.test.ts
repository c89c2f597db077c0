// Logs never hold message texts or personal data, also when a send fails: grammY's GrammyError
// and Telegraf's TelegramError carry the request payload (the message text), which pino's
// standard serialiser would write out.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { createLogger } from '../../src/logger.js';
import { createTestApp, onboard, type TestApp } from '../support/app-harness.js';
import { mailboxTestFeature, PERSON } from './features.js';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

describe.each(['grammy', 'telegraf'] as const)('logs on %s', (framework) => {
  it('a reply that cannot be sent is logged without its text, name or phone number', async () => {
    const log = capture();
    const app = await createTestApp(`logs_${framework}`, {
      framework,
      features: [...FEATURES, mailboxTestFeature],
      logger: createLogger('debug', log.stream),
      env: { MAILBOX_RETRY_BASE_MS: '20', MAILBOX_RETRY_MAX_MS: '50', MAILBOX_MAX_ATTEMPTS: '2' },
    });
    apps.push(app);
    await onboard(app, 801);
    // Refused for good (400), then failing twice with 502 until the tries run out.
    app.api.failNext('sendMessage', 400, 'Bad Request: chat not found');
    await app.command(801, 'card');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    app.api.failNext('sendMessage', 502, 'Bad Gateway');
    await app.command(801, 'card');
    expect(app.api.counts.injected).toBe(3);

    const lines = log.text();
    // The failures were logged (so this test looks at something), with what staff need.
    expect(lines).toContain('a reply could not be sent');
    expect(lines).toContain('"method":"sendMessage"');
    expect(lines).toContain('"error_code":400');
    expect(lines).toContain('"error_code":502');
    for (const secret of [PERSON.name, PERSON.name.split(' ')[1]!, PERSON.phone, PERSON.phone.slice(2), 'Application of']) {
      expect(lines, secret).not.toContain(secret);
    }
  });
});

describe('logs of citizen questions', () => {
  it('a question with an IIN and a phone number, whose topic, mirror and copy fail, is logged without them', async () => {
    const log = capture();
    const staffChat = -1005550001111;
    const app = await createTestApp('logs_inquiries', {
      adminIds: [8801],
      logger: createLogger('debug', log.stream),
      env: { STAFF_CHAT_ID: String(staffChat), STAFF_CHAT_LOCALE: 'en' },
    });
    apps.push(app);
    await onboard(app, 802);
    const question = 'My IIN is 900101300123 and my phone +77015550123, where is my disability certificate?';
    await app.say(802, question);
    await app.tapLike(802, 'Ask a person');
    await app.tapLike(802, 'Rehabilitation');
    app.api.failNext('createForumTopic', 400, 'Bad Request: not enough rights to create a topic');
    await app.tapLike(802, 'Almaty (city)');
    // The next message makes the topic, but posting into it and copying the photo fail.
    app.api.failNext('sendMessage', 400, 'Bad Request: message thread not found');
    app.api.failNext('copyMessage', 400, 'Bad Request: message to copy not found');
    await app.say(802, 'Call me on 87015550123, my name is Aigerim Seitkali.');
    await app.send(app.api.photo(802, { enqueue: false, caption: 'IIN 900101300123' }));
    expect(app.api.counts.injected).toBe(3);

    const lines = log.text();
    expect(lines).toContain('could not create the forum topic');
    expect(lines).toContain('could not post into the staff topic');
    expect(lines).toContain('could not copy an attachment into the staff topic');
    for (const secret of ['900101300123', '7015550123', 'Aigerim', 'Seitkali', 'disability certificate', 'Call me']) {
      expect(lines, secret).not.toContain(secret);
    }
  });
});
