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
