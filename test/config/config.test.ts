import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { BOT_TOKEN: '123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ', DATA_KEY: 'ab'.repeat(32) };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('fills defaults from a minimal environment', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      BOT_FRAMEWORK: 'grammy',
      BOT_MODE: 'polling',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      DEFAULT_LOCALE: 'kk',
      DELIVERY_RATE: 25,
      DELIVERY_CHAT_GAP_MS: 1000,
      ADMIN_IDS: [],
      HTTP_PORT: 8080,
      HTTP_HOST: '127.0.0.1',
      MAILBOX_LEASE_MS: 15_000,
      MAILBOX_MAX_ATTEMPTS: 8,
      SHUTDOWN_MS: 20_000,
    });
    expect(config.DATA_KEY).toHaveLength(32);
  });

  it('reads lists, numbers and base64 keys', () => {
    const config = loadConfig({ ...base, ADMIN_IDS: '1, 22 333', HTTP_PORT: '3000', DATA_KEY: Buffer.alloc(32, 7).toString('base64'), DELIVERY_RATE: '10' });
    expect(config.ADMIN_IDS).toEqual([1, 22, 333]);
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.DELIVERY_RATE).toBe(10);
    expect(config.DATA_KEY.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it.each([
    [{}, ['BOT_TOKEN is required', 'DATA_KEY is required']],
    [{ ...base, BOT_TOKEN: 'nope' }, ['BOT_TOKEN must look like']],
    [{ ...base, DATA_KEY: 'short' }, ['DATA_KEY must be 32 bytes']],
    [{ ...base, BOT_FRAMEWORK: 'aiogram' }, ['BOT_FRAMEWORK']],
    [{ ...base, ADMIN_IDS: '1,abc' }, ['ADMIN_IDS must be a comma-separated list']],
    [{ ...base, HTTP_PORT: '70000' }, ['HTTP_PORT']],
    [{ ...base, DELIVERY_CHAT_GAP_MS: '0' }, ['DELIVERY_CHAT_GAP_MS']],
    [{ ...base, DELIVERY_CHAT_GAP_MS: '999' }, ['DELIVERY_CHAT_GAP_MS']],
    [{ ...base, REDIS_URL: 'http://x' }, ['REDIS_URL must start with redis://']],
    [{ ...base, MONGODB_URI: 'postgres://x' }, ['MONGODB_URI must start with mongodb://']],
    [{ ...base, DEFAULT_LOCALE: 'de' }, ['DEFAULT_LOCALE']],
    [{ ...base, BOT_MODE: 'webhook' }, ['WEBHOOK_URL is required when BOT_MODE=webhook', 'WEBHOOK_SECRET is required when BOT_MODE=webhook']],
    [{ ...base, BOT_MODE: 'webhook', WEBHOOK_URL: 'https://x.kz/hook', WEBHOOK_SECRET: 'bad secret!' }, ['WEBHOOK_SECRET must be 16-256 characters']],
  ])('names the variable when a value is wrong: %j', (env, expected) => {
    const found = problems(env);
    for (const fragment of expected) expect(found.some((p) => p.startsWith(fragment)), `${fragment} in ${found.join(' | ')}`).toBe(true);
  });

  // A `.env` copied from the example, or a compose file, carries `NAME=` for a setting left out.
  // Such an empty value was read as the number 0: the bot listened on a random port (HTTP_PORT),
  // long polling became a call a moment (POLL_TIMEOUT_S), and an empty STAFF_CHAT_ID stopped
  // start-up saying it "must be the negative id of a supergroup".
  it('reads a variable set to nothing (NAME= in a .env file) as one not set', () => {
    const empty = { HTTP_PORT: '', POLL_TIMEOUT_S: ' ', STAFF_CHAT_ID: '', WEBHOOK_URL: '', WEBHOOK_SECRET: '', DELIVERY_RATE: '', PLAYGROUND_PORT: '', PAID_BROADCAST_STARS_PER_MESSAGE: '', INQUIRY_REMIND_MINUTES: '', LOG_LEVEL: '' };
    const config = loadConfig({ ...base, ...empty });
    expect(config).toMatchObject({ HTTP_PORT: 8080, POLL_TIMEOUT_S: 25, DELIVERY_RATE: 25, PLAYGROUND_PORT: 8090, PAID_BROADCAST_STARS_PER_MESSAGE: 0.1, INQUIRY_REMIND_MINUTES: 120, LOG_LEVEL: 'info' });
    expect(config.STAFF_CHAT_ID).toBeUndefined();
    expect(config.WEBHOOK_URL).toBeUndefined();
    // Required ones left empty are named as missing, not as badly formed.
    expect(problems({ BOT_TOKEN: '', DATA_KEY: '' })).toEqual(['BOT_TOKEN is required', 'DATA_KEY is required']);
    expect(problems({ ...base, BOT_MODE: 'webhook', WEBHOOK_URL: '', WEBHOOK_SECRET: '' })).toEqual([
      'WEBHOOK_URL is required when BOT_MODE=webhook',
      'WEBHOOK_SECRET is required when BOT_MODE=webhook',
    ]);
  });

  // Number() reads "0x1F" as 31 and "1e3" as 1000: a slip in ADMIN_IDS made someone else an admin.
  it.each(['0x1F', '1e3', '12.0', '+5'])('refuses an admin id that is not plain digits: %s', (id) => {
    expect(problems({ ...base, ADMIN_IDS: `100, ${id}` })[0]).toMatch(/^ADMIN_IDS must be a comma-separated list/);
  });
});
