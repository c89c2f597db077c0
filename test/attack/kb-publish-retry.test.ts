// An operator publishes an answered question as a knowledge base entry. The entry is written, then
// the audit line fails for a moment (the database away), or the process is killed right after the
// line. The mailbox runs Publish again: the line must be there once, and the operator told the
// entry is published.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSceneHarness, onboard, type TestApp } from '../support/app-harness.js';
import { TransientError } from '../../src/app/failure-kind.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { relayToCitizen } from '../../src/features/inquiries/relay.js';
import { askPerson } from '../features/inquiries/helpers.js';

const ADMIN = 8401;
const OPERATOR = 8402;

describe('attack: knowledge base Publish run again after a failure past its write', () => {
  let app: TestApp;
  let citizen = 6450;
  let message = 1;
  beforeAll(async () => {
    app = await createSceneHarness('atk_kb_publish_retry', {
      adminIds: [ADMIN],
      redisPrefix: `t-${randomBytes(5).toString('hex')}`,
      env: { MAILBOX_RETRY_BASE_MS: '10', MAILBOX_RETRY_MAX_MS: '20' },
    });
    await app.bot.services.users.makeStaff(OPERATOR, OPERATOR, 'en', ADMIN);
    await app.bot.services.access.grant(OPERATOR, { roles: ['operator'], regions: ['almaty'], topics: null }, 0);
    await onboard(app, OPERATOR);
  }, 60_000);
  afterAll(async () => app?.close());

  const publishLines = (ref: string) => auditLogModel(app.mongo).countDocuments({ action: 'faq.entry-from-inquiry', target: `inquiry:${ref}` });

  /** An answered question with its entry form open at Publish. */
  async function readyToPublish(question: string, answer: string): Promise<string> {
    citizen += 1;
    await onboard(app, citizen);
    const ref = await askPerson(app, citizen, question);
    const inquiry = (await app.bot.services.inquiries.get(ref))!;
    message += 1;
    expect(await relayToCitizen(app.bot.deps, inquiry, OPERATOR, { text: answer, chatId: OPERATOR, messageId: message })).toBe(true);
    await app.say(OPERATOR, ref);
    await app.tapLike(OPERATOR, 'Make a knowledge base entry');
    await app.tapLike(OPERATOR, 'Keep this text');
    await app.tapLike(OPERATOR, 'Keep this text');
    app.drain(OPERATOR);
    return ref;
  }

  /** Publish, with the next `faq.entry-from-inquiry` line failing once: before it is written, or (`after`) once it is. */
  async function publishWithLineFailingOnce(after: boolean): Promise<string> {
    const { audit } = app.bot.services;
    const record = audit.record.bind(audit);
    let failed = false;
    audit.record = async (...args: Parameters<typeof audit.record>) => {
      if (args[1] !== 'faq.entry-from-inquiry' || failed) return record(...args);
      failed = true;
      if (after) await record(...args);
      throw new TransientError('database away for a moment');
    };
    try {
      await app.tapLike(OPERATOR, 'Publish');
    } finally {
      audit.record = record;
    }
    expect(failed).toBe(true);
    return app.drain(OPERATOR).join('\n');
  }

  it('the line failing once: Publish run again says it is published and writes the line once', async () => {
    const ref = await readyToPublish('How do I get a wheelchair through the social insurance fund?', 'Apply at the public service centre with the individual rehabilitation programme.');
    const said = await publishWithLineFailingOnce(false);
    expect(said).toContain(`Entry ${ref.toLowerCase()} is published.`);
    expect(await publishLines(ref)).toBe(1);
  }, 60_000);

  it('a failure right after the line is written: Publish run again says it is published and writes no second line', async () => {
    const ref = await readyToPublish('Where do I renew the disability group certificate?', 'The medical-social expertise office of your district renews it; bring the identity card.');
    const said = await publishWithLineFailingOnce(true);
    expect(said).toContain(`Entry ${ref.toLowerCase()} is published.`);
    expect(await publishLines(ref)).toBe(1);
  }, 60_000);
});
