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
});
